import type { Problem, ProblemCode, SessionDto, SessionSummaryDto } from '@session/rest-contract';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordLength } from '../account-types';
import type { FakeRequest } from './fake-session-api';

/** What the fake accounts need from the fake gateway around them. */
export interface FakeAccountsContext {
  readonly sessions: Map<string, SessionDto>;
  now(): number;
  save(session: SessionDto): SessionDto;
  /** A new secret for the session, set as the jar's cookie (what BindUser's rotation does). */
  rotate(sessionId: string): void;
  /** Drops the jar's cookie when it holds this session. */
  forgetCookieOf(sessionId: string): void;
  problem(status: number, code: ProblemCode): Problem;
  /** The user agent this fake browser sends. */
  readonly userAgent: string;
}

export interface FakeAccount {
  userId: string;
  email: string;
  password: string;
}

export type Answer = { status: number; body?: unknown; session?: SessionDto };

interface CredentialsBody {
  email?: unknown;
  password?: unknown;
  remember_me?: unknown;
}

const REAUTH_WINDOW_MS = 10 * 60_000;
const normalizeEmail = (email: string) => email.trim().normalize('NFC').toLowerCase();
const validEmail = (email: string) => email.length <= 254 && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email);
const validPassword = (password: unknown): password is string =>
  typeof password === 'string' && passwordLength(password) >= PASSWORD_MIN_LENGTH && passwordLength(password) <= PASSWORD_MAX_LENGTH;

/**
 * The account endpoints of the agreed REST table, in memory, with the
 * answers the real ones give (same 401 for an unknown email and a wrong
 * password; a password change needs a sign-in younger than 10 minutes and
 * ends the user's other sessions). Sessions it binds get `claims` holding the
 * email, so specs can check they never reach localStorage.
 */
export function createFakeAccounts(ctx: FakeAccountsContext) {
  const accounts = new Map<string, FakeAccount>();
  const iso = (ms: number) => new Date(ms).toISOString();

  function add(email: string, password: string): FakeAccount {
    const account = { userId: `user-${accounts.size + 1}`, email: normalizeEmail(email), password };
    accounts.set(account.email, account);
    return account;
  }

  function bind(session: SessionDto, account: FakeAccount, rememberMe: boolean, userAgent = ctx.userAgent): SessionDto {
    const t = ctx.now();
    const bound: SessionDto = {
      ...session,
      user_id: account.userId,
      version: session.version + 1,
      updated_at: iso(t),
      claims: { email: account.email },
      authenticated_at: iso(t),
      authentication_method: 'password',
      remember_me: rememberMe,
      device: { user_agent: userAgent, client_address: '127.0.0.0' },
    };
    return ctx.save(bound);
  }

  const liveOf = (userId: string) =>
    [...ctx.sessions.values()].filter((s) => s.user_id === userId && !s.revoked_at && Date.parse(s.expires_at) > ctx.now());

  function revoke(session: SessionDto): void {
    ctx.save({ ...session, revoked_at: iso(ctx.now()) });
    ctx.forgetCookieOf(session.session_id);
  }

  function signUp(current: SessionDto, body: CredentialsBody): Answer {
    const email = typeof body.email === 'string' ? normalizeEmail(body.email) : '';
    if (!validEmail(email)) return answer(ctx.problem(400, 'invalid_email'));
    if (!validPassword(body.password)) return answer(ctx.problem(400, 'invalid_password'));
    if (accounts.has(email)) return answer(ctx.problem(409, 'account_exists'));
    const session = bind(current, add(email, body.password), body.remember_me === true);
    ctx.rotate(session.session_id);
    return { status: 201, body: { token: 'rotated', session }, session };
  }

  function signIn(current: SessionDto, body: CredentialsBody): Answer {
    const account = typeof body.email === 'string' ? accounts.get(normalizeEmail(body.email)) : undefined;
    if (!account || account.password !== body.password) return answer(ctx.problem(401, 'invalid_credentials'));
    const session = bind(current, account, body.remember_me === true);
    ctx.rotate(session.session_id);
    return { status: 200, body: { token: 'rotated', session }, session };
  }

  function changePassword(current: SessionDto, body: { current_password?: unknown; new_password?: unknown }): Answer {
    const account = [...accounts.values()].find((a) => a.userId === current.user_id);
    if (!account) return answer(ctx.problem(403, 'forbidden'));
    if (!current.authenticated_at || ctx.now() - Date.parse(current.authenticated_at) > REAUTH_WINDOW_MS)
      return answer(ctx.problem(401, 'reauthentication_required'));
    if (body.current_password !== account.password) return answer(ctx.problem(401, 'invalid_credentials'));
    if (!validPassword(body.new_password)) return answer(ctx.problem(400, 'invalid_password'));
    account.password = body.new_password;
    liveOf(account.userId)
      .filter((s) => s.session_id !== current.session_id)
      .forEach(revoke);
    return { status: 204 };
  }

  function list(current: SessionDto): Answer {
    const sessions: SessionSummaryDto[] = liveOf(current.user_id!)
      .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
      .map((session) => {
        const summary: Partial<SessionDto> = { ...session };
        delete summary.user_data;
        delete summary.claims;
        return { ...(summary as Omit<SessionSummaryDto, 'current'>), current: session.session_id === current.session_id };
      });
    return { status: 200, body: { sessions, next_page_token: null } };
  }

  function revokeById(current: SessionDto, sessionId: string): Answer {
    const target = ctx.sessions.get(sessionId);
    if (!target || target.user_id !== current.user_id || target.revoked_at) return answer(ctx.problem(404, 'session_not_found'));
    revoke(target);
    return { status: 204 };
  }

  function revokeOthers(current: SessionDto): Answer {
    const others = liveOf(current.user_id!).filter((s) => s.session_id !== current.session_id);
    others.forEach(revoke);
    return { status: 200, body: { revoked_count: others.length } };
  }

  /** Answers an account route for the live session `current`, or null when `req` is not one. */
  function route(req: FakeRequest, current: SessionDto): Answer | null {
    const body = (req.body ?? {}) as CredentialsBody;
    if (req.method === 'POST' && req.path === '/api/accounts') return signUp(current, body);
    if (req.method === 'POST' && req.path === '/api/sessions/current/sign-in') return signIn(current, body);
    const signedIn =
      req.path === '/api/accounts/current/password' ||
      req.path === '/api/sessions' ||
      req.path.startsWith('/api/sessions?') ||
      /^\/api\/sessions\/[0-9a-f-]{36}$/.test(req.path);
    if (!signedIn) return null;
    if (!current.user_id) return answer(ctx.problem(403, 'forbidden'));
    if (req.method === 'POST' && req.path === '/api/accounts/current/password') return changePassword(current, req.body as never);
    if (req.method === 'GET' && req.path === '/api/sessions') return list(current);
    if (req.method === 'DELETE' && req.path === '/api/sessions?scope=others') return revokeOthers(current);
    if (req.method === 'DELETE' && req.path.startsWith('/api/sessions/'))
      return revokeById(current, req.path.slice('/api/sessions/'.length));
    return null;
  }

  /** A session of `email`'s account on another device (not this jar's): for device lists. */
  function signInElsewhere(email: string, userAgent: string, create: () => SessionDto): SessionDto {
    const account = accounts.get(normalizeEmail(email));
    if (!account) throw new Error(`no account ${email}`);
    return bind(create(), account, false, userAgent);
  }

  return { accounts, add, route, signInElsewhere, userAgent: ctx.userAgent };
}

const answer = (problem: Problem): Answer => ({ status: problem.status, body: problem });
