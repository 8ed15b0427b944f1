import {
  etagToVersion,
  versionToEtag,
  type JsonValue,
  type Problem,
  type ProblemCode,
  type SessionDto,
  type UserData,
} from '@session/rest-contract';
import type { FetchLike, MergePatch, ResponseLike } from '../session-rest-client';
import { createFakeAccounts, type Answer, type FakeAccount } from './fake-accounts';

export interface FakeSessionApiOptions {
  idleTtlMs?: number;
  absoluteTtlMs?: number;
  /** The fake server's clock. */
  now?: () => number;
  /** The user agent the gateway would record for this fake browser's sessions. */
  userAgent?: string;
}

export interface FakeRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  /** The status it was answered with, once answered: a browser logs every non-2xx one as a console error. */
  status?: number;
}

/**
 * An in-memory stand-in for the gateway's session endpoints, for component
 * tests under jsdom (no network, no Response class). It keeps one cookie jar,
 * like one browser profile, so every provider mounted in a test shares it the
 * way tabs do. The real gateway is covered by the browser end-to-end specs.
 */
export interface FakeSessionApi {
  readonly fetch: FetchLike;
  readonly requests: FakeRequest[];
  readonly sessions: Map<string, SessionDto>;
  /** The session token in the jar (what the HttpOnly cookie would hold). */
  cookie: string | null;
  /** Runs before each request is answered; tests use it to play another writer. */
  onRequest: ((request: FakeRequest) => void) | null;
  count(method: string, path?: string): number;
  current(): SessionDto | null;
  /** A write by someone else (another device, a back-end service): bumps the version. */
  writeElsewhere(sessionId: string, patch: MergePatch): SessionDto;
  /** Changes a stored session directly (expiry, revocation). */
  alter(sessionId: string, changes: Partial<SessionDto>): SessionDto;
  /** An account that exists already (as if signed up earlier). */
  addAccount(email: string, password: string): FakeAccount;
  /** Signs `email` in on another device (a session outside this jar), for device lists. */
  signInElsewhere(email: string, userAgent: string): SessionDto;
}

const MINUTE = 60_000;

export function createFakeSessionApi(options: FakeSessionApiOptions = {}): FakeSessionApi {
  const now = options.now ?? Date.now;
  const idleTtl = options.idleTtlMs ?? 30 * MINUTE;
  const absoluteTtl = options.absoluteTtlMs ?? 24 * 60 * MINUTE;
  const secrets = new Map<string, string>();
  let counter = 0;

  const iso = (ms: number) => new Date(ms).toISOString();
  const withExpiry = (s: SessionDto): SessionDto => ({
    ...s,
    expires_at: iso(Math.min(Date.parse(s.idle_expires_at), Date.parse(s.absolute_expires_at))),
  });

  function live(): SessionDto | Problem {
    if (!api.cookie) return problem(401, 'unauthenticated');
    const [id, secret] = api.cookie.split('.');
    const session = api.sessions.get(id);
    if (!session || secrets.get(id) !== secret) return problem(401, 'session_not_found');
    if (session.revoked_at) return problem(401, 'session_revoked');
    if (Date.parse(session.expires_at) <= now()) return problem(401, 'session_expired');
    return session;
  }

  function save(session: SessionDto): SessionDto {
    const stored = withExpiry(session);
    api.sessions.set(stored.session_id, stored);
    return stored;
  }

  /** A new session; `intoJar` sets its cookie in this fake browser (false: another device's). */
  function create(userData: UserData, intoJar = true): SessionDto {
    counter += 1;
    const id = `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
    secrets.set(id, `secret${counter}`);
    const t = now();
    const session = save({
      session_id: id,
      user_id: null,
      user_data: userData,
      version: 1,
      created_at: iso(t),
      updated_at: iso(t),
      last_seen_at: iso(t),
      idle_expires_at: iso(t + idleTtl),
      absolute_expires_at: iso(t + absoluteTtl),
      expires_at: '',
      revoked_at: null,
      ...anonymousFields(intoJar ? accounts.userAgent : 'another device'),
    });
    if (intoJar) api.cookie = `${id}.secret${counter}`;
    return session;
  }

  const accounts = createFakeAccounts({
    // A getter: `api` is defined below, and these run only once requests arrive.
    get sessions() {
      return api.sessions;
    },
    now,
    save,
    rotate(sessionId) {
      counter += 1;
      secrets.set(sessionId, `secret${counter}`);
      api.cookie = `${sessionId}.secret${counter}`;
    },
    forgetCookieOf(sessionId) {
      if (api.cookie?.startsWith(`${sessionId}.`)) api.cookie = null;
    },
    problem,
    userAgent: options.userAgent ?? 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36',
  });

  function write(session: SessionDto, userData: UserData, ifMatch: string | undefined): SessionDto | Problem {
    if (ifMatch !== undefined && etagToVersion(ifMatch) !== session.version) return problem(412, 'version_conflict');
    return save({ ...session, user_data: userData, version: session.version + 1, updated_at: iso(now()) });
  }

  function handle(req: FakeRequest): Answer {
    if (req.method === 'POST' && req.path === '/api/sessions') {
      const session = create(((req.body as { user_data?: UserData } | null)?.user_data ?? {}) as UserData);
      return { status: 201, body: { token: api.cookie, session }, session };
    }
    const found = live();
    if ('status' in found) return { status: found.status, body: found };
    const account = accounts.route(req, found);
    if (account) return account;
    const ifMatch = req.headers['if-match'];
    let result: SessionDto | Problem = found;
    if (req.method === 'GET' && req.path === '/api/sessions/current') result = found;
    else if (req.method === 'PATCH' && req.path === '/api/sessions/current/data')
      result = write(found, applyMergePatch(found.user_data, req.body as MergePatch), ifMatch);
    else if (req.method === 'PUT' && req.path === '/api/sessions/current/data')
      result = write(found, (req.body as { user_data: UserData }).user_data, ifMatch);
    else if (req.method === 'POST' && req.path === '/api/sessions/current/touch') {
      result = save({ ...found, last_seen_at: iso(now()), idle_expires_at: iso(now() + idleTtl) });
    } else if (req.method === 'DELETE' && req.path === '/api/sessions/current') {
      save({ ...found, revoked_at: iso(now()) });
      api.cookie = null;
      return { status: 204 };
    } else result = problem(404, 'not_found');
    return 'status' in result ? { status: result.status, body: result } : { status: 200, body: { session: result }, session: result };
  }

  const api: FakeSessionApi = {
    requests: [],
    sessions: new Map(),
    cookie: null,
    onRequest: null,
    async fetch(url, init) {
      const headers = Object.fromEntries(
        Object.entries((init.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
      );
      const request: FakeRequest = {
        method: init.method ?? 'GET',
        path: url,
        headers,
        body: typeof init.body === 'string' ? JSON.parse(init.body) : null,
      };
      api.requests.push(request);
      // Answer asynchronously, as a network would.
      await Promise.resolve();
      api.onRequest?.(request);
      const { status, body, session } = handle(request);
      request.status = status;
      return respond(status, body, { etag: session ? versionToEtag(session.version) : null, date: new Date(now()).toUTCString() });
    },
    count: (method, path) => api.requests.filter((r) => r.method === method && (path === undefined || r.path === path)).length,
    current() {
      const found = live();
      return 'status' in found ? null : found;
    },
    writeElsewhere(sessionId, patch) {
      const session = api.sessions.get(sessionId);
      if (!session) throw new Error(`no session ${sessionId}`);
      return save({
        ...session,
        user_data: applyMergePatch(session.user_data, patch),
        version: session.version + 1,
        updated_at: iso(now()),
      });
    },
    alter(sessionId, changes) {
      const session = api.sessions.get(sessionId);
      if (!session) throw new Error(`no session ${sessionId}`);
      return save({ ...session, ...changes });
    },
    addAccount: (email, password) => accounts.add(email, password),
    signInElsewhere: (email, userAgent) => accounts.signInElsewhere(email, userAgent, () => create({}, false)),
  };
  return api;
}

/** What an anonymous session carries of the fields sign-in brings. */
function anonymousFields(userAgent: string) {
  return {
    claims: {},
    authenticated_at: null,
    authentication_method: '',
    remember_me: false,
    device: { user_agent: userAgent, client_address: '127.0.0.0' },
  };
}

function problem(status: number, code: ProblemCode): Problem {
  return { type: 'about:blank', title: code.replace(/_/g, ' '), status, code };
}

function respond(status: number, body: unknown, headers: Record<string, string | null>): ResponseLike {
  const text = body === undefined ? '' : JSON.stringify(body);
  return {
    ok: status >= 200 && status < 300,
    status,
    headers: { get: (name) => headers[name.toLowerCase()] ?? null },
    text: async () => text,
  };
}

/** RFC 7396 JSON merge patch: objects merge recursively, `null` deletes, anything else replaces. */
export function applyMergePatch(target: UserData, patch: MergePatch): UserData {
  const result: UserData = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (isObject(value)) result[key] = applyMergePatch(isObject(result[key]) ? (result[key] as UserData) : {}, value as MergePatch);
    else result[key] = value;
  }
  return result;
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
