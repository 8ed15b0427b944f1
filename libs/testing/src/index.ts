export * from './child-process';
export * from './embedded-db';
export * from './free-port';
export * from './workspace-root';
