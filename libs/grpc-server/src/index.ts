export * from './bind-server';
export * from './caller-auth';
export * from './caller-observer';
export * from './metrics-server';
export * from './undecodable-requests';
export * from './request-id';
export * from './rpc-metrics';
