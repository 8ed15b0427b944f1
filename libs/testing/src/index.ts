export * from './app-bundle';
export * from './child-process';
export * from './embedded-db';
export * from './free-port';
export * from './metric-value';
export * from './workspace-root';
export * from './session-service-process';
export * from './gateway-process';
