import type {
  ChangePasswordRequestDto,
  RevokeOtherSessionsResponseDto,
  SessionListResponseDto,
  SessionSummaryDto,
  SignInRequestDto,
} from '@session/rest-contract';
import type { Credentials, PasswordChange } from './account-types';
import { readJson, sessionResult } from './rest-answers';
import { SessionApiError } from './session-api-error';
import type { SendFn, SessionResult } from './session-rest-client';

/** The gateway's account endpoints, and the session-list ones a signed-in user has (see the agreed REST table). */
export interface AccountEndpoints {
  /** `POST /api/accounts`: creates the account and signs the cookie's session in to it (the token rotates). */
  signUp(credentials: Credentials): Promise<SessionResult>;
  /** `POST /api/sessions/current/sign-in`: signs the cookie's session in (the token rotates). */
  signIn(credentials: Credentials): Promise<SessionResult>;
  /** `POST /api/accounts/current/password`; the service then ends the user's other sessions. */
  changePassword(change: PasswordChange): Promise<void>;
  /** `GET /api/sessions`, every page: the signed-in user's live sessions, newest first. */
  listSessions(): Promise<SessionSummaryDto[]>;
  /** `DELETE /api/sessions/{id}`: ends one of the user's sessions. */
  revokeSession(sessionId: string): Promise<void>;
  /** `DELETE /api/sessions?scope=others`: ends every session of the user but the current one; how many ended. */
  revokeOtherSessions(): Promise<number>;
}

/** A user has at most a few sessions (the service caps them); more pages than this means a broken page token loop. */
const MAX_PAGES = 20;

const credentialsBody = ({ email, password, rememberMe }: Credentials): SignInRequestDto => ({
  email,
  password,
  remember_me: rememberMe === true,
});

export function accountEndpoints(send: SendFn): AccountEndpoints {
  return {
    async signUp(credentials) {
      return sessionResult(await send('POST', '/accounts', credentialsBody(credentials)));
    },
    async signIn(credentials) {
      return sessionResult(await send('POST', '/sessions/current/sign-in', credentialsBody(credentials)));
    },
    async changePassword({ currentPassword, newPassword }) {
      const body: ChangePasswordRequestDto = { current_password: currentPassword, new_password: newPassword };
      await send('POST', '/accounts/current/password', body);
    },
    async listSessions() {
      const sessions: SessionSummaryDto[] = [];
      let pageToken: string | null = null;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const query: string = pageToken ? `?page_token=${encodeURIComponent(pageToken)}` : '';
        const response = await send('GET', `/sessions${query}`);
        const body = (await readJson(response)) as Partial<SessionListResponseDto> | null;
        if (!Array.isArray(body?.sessions))
          throw new SessionApiError(response.status, 'bad_response', 'The session API answered without a session list.');
        sessions.push(...body.sessions);
        pageToken = typeof body.next_page_token === 'string' && body.next_page_token ? body.next_page_token : null;
        if (!pageToken) break;
      }
      return sessions;
    },
    async revokeSession(sessionId) {
      await send('DELETE', `/sessions/${encodeURIComponent(sessionId)}`);
    },
    async revokeOtherSessions() {
      const response = await send('DELETE', '/sessions?scope=others');
      const body = (await readJson(response)) as Partial<RevokeOtherSessionsResponseDto> | null;
      return typeof body?.revoked_count === 'number' ? body.revoked_count : 0;
    },
  };
}
