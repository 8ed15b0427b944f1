export * from './create-session-client';
export * from './rpc-api';
export * from './session-api';
export * from './accounts-api';
export * from './health-check';
export * from './api-key';
