export * from './feed-server';
