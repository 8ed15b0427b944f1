import type { SessionDto, SessionSummaryDto } from '@session/rest-contract';
import type { Credentials, PasswordChange } from './account-types';
import { isSessionApiError } from './session-api-error';
import type { SessionRestClient, SessionResult } from './session-rest-client';

export interface AccountActions {
  /** Creates an account and signs this browser's session in to it; every tab follows. */
  signUp(credentials: Credentials): Promise<SessionDto>;
  /** Signs this browser's session in (the server rotates its token); every tab follows. */
  signIn(credentials: Credentials): Promise<SessionDto>;
  /** Ends the signed-in session in every tab and continues on a new anonymous one. */
  signOut(): Promise<SessionDto>;
  /** Needs a recent sign-in (`reauthentication_required` otherwise); the user's other sessions end. */
  changePassword(change: PasswordChange): Promise<void>;
  /** The signed-in user's sessions ("devices"), this one marked `current`. */
  listDevices(): Promise<SessionSummaryDto[]>;
  /** Ends another of the user's sessions; one that already ended counts as done. */
  signOutDevice(sessionId: string): Promise<void>;
  /** Ends every session of the user but this one; how many ended. */
  signOutOtherDevices(): Promise<number>;
}

/** What the account actions need from the session controller. */
export interface AccountActionsContext {
  readonly client: SessionRestClient;
  currentSessionId(): string | undefined;
  /** Makes sure the cookie holds a session the server accepts (sign-in binds that one). */
  ensureSession(): Promise<unknown>;
  /** Replaces a session the server just refused (401). */
  replaceRefused(sessionId: string | undefined): Promise<unknown>;
  /** Takes the signed-in session in, stores it for the other tabs. */
  accept(result: SessionResult): SessionDto;
  endSession(): Promise<void>;
  refresh(): Promise<SessionDto>;
}

const ignore = (): void => undefined;
const sessionLost = (error: unknown) => isSessionApiError(error) && error.isUnauthenticated;

export function createAccountActions(context: AccountActionsContext): AccountActions {
  const { client } = context;

  /**
   * Sign-up and sign-in bind the cookie's session. When that session turns out
   * to be gone (a 401 about the session, not about the password), the form is
   * sent once more on its replacement, so the person does not type again.
   */
  async function authenticate(send: () => Promise<SessionResult>): Promise<SessionDto> {
    await context.ensureSession();
    const sentFor = context.currentSessionId();
    try {
      return context.accept(await send());
    } catch (error) {
      if (!sessionLost(error)) throw error;
      await context.replaceRefused(sentFor);
      return context.accept(await send());
    }
  }

  /** A signed-in call; when it finds the session gone, the tab moves on to a new anonymous one and the error still reaches the caller. */
  async function signedIn<T>(call: () => Promise<T>): Promise<T> {
    const sentFor = context.currentSessionId();
    try {
      return await call();
    } catch (error) {
      if (sessionLost(error)) await context.replaceRefused(sentFor).catch(ignore);
      throw error;
    }
  }

  return {
    signUp: (credentials) => authenticate(() => client.signUp(credentials)),
    signIn: (credentials) => authenticate(() => client.signIn(credentials)),
    async signOut() {
      await context.endSession();
      return context.refresh();
    },
    changePassword: (change) => signedIn(() => client.changePassword(change)),
    listDevices: () => signedIn(() => client.listSessions()),
    signOutDevice: (sessionId) =>
      signedIn(async () => {
        try {
          await client.revokeSession(sessionId);
        } catch (error) {
          // Ended meanwhile (another tab, its own expiry): what was asked for is true.
          if (!(isSessionApiError(error) && error.code === 'session_not_found' && error.status === 404)) throw error;
        }
      }),
    signOutOtherDevices: () => signedIn(() => client.revokeOtherSessions()),
  };
}
