export * from './child-process';
export * from './embedded-db';
export * from './free-port';
export * from './workspace-root';
export * from './session-service-process';
export * from './gateway-process';
