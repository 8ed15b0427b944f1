export * from './duration';
export * from './load-env';
export * from './session-service-config';
export * from './accounts-service-config';
export * from './grpc-callers';
export * from './gateway-config';
export * from './load-config-or-exit';
export { mongoClientOptions, type MongoSettings } from './mongo-settings';
