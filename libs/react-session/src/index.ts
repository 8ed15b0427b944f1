export { SessionProvider, type SessionProviderProps } from './session-provider';
export { useSession, type SessionContextValue } from './session-context';
export { createSessionController, type SessionController, type SessionControllerOptions } from './session-controller';
export type { SessionActions, SessionState, SessionStatus } from './session-state';
export { browserHost, type SessionHost, type StorageChange } from './session-host';
export {
  createSessionRestClient,
  type FetchLike,
  type MergePatch,
  type ResponseLike,
  type SessionRestClient,
  type SessionRestClientOptions,
  type SessionResult,
  type WriteOptions,
} from './session-rest-client';
export { SessionApiError, isSessionApiError, type ClientErrorCode } from './session-api-error';
export { SNAPSHOT_KEY, type SnapshotStorage, type StoredSnapshot } from './session-snapshot';
export { CREATE_LOCK_NAME, type LockManagerLike } from './create-lock';
export { idleTtlMs, sessionExpiresAt } from './session-time';
export type { AccountActions } from './account-actions';
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordLength, type Credentials, type PasswordChange } from './account-types';
