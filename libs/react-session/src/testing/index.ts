// Test doubles for code that uses @session/react-session: a separate entry
// point, so that none of it reaches a production bundle.
export { createFakeSessionApi, type FakeSessionApi, type FakeSessionApiOptions, type FakeRequest } from './fake-session-api';
export { createFakeLockManager } from './fake-lock-manager';
export { createFakeOrigin, type FakeOrigin, type FakeTab } from './fake-origin';
