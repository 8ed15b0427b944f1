export * from './session-dto';
export * from './problem';
export * from './etag';
