import { BlockList, isIP } from 'node:net';

/**
 * The RPC names an allow-list may hold: every method of session.v1.SessionService and
 * session.v1.SessionFeedService plus server reflection's one method. A session-service spec keeps
 * these lists equal to the protos, so a typo in GRPC_CALLERS fails at start, not at the first call.
 */
export const SESSION_RPC_NAMES = [
  'CreateSession',
  'ValidateSession',
  'GetSession',
  'UpdateSessionData',
  'TouchSession',
  'RevokeSession',
  'BindUser',
  'ListUserSessions',
  'RevokeUserSessions',
  'SetSessionClaims',
] as const;
/** The change feed's RPCs: a caller is allowed them separately (a near cache needs both). */
export const FEED_RPC_NAMES = ['WatchSessionChanges', 'TouchSessions'] as const;
export const REFLECTION_RPC_NAME = 'ServerReflectionInfo';
/** What a session-service caller may be allowed. */
export const SESSION_SERVICE_ALLOWED_RPC_NAMES: readonly string[] = [...SESSION_RPC_NAMES, ...FEED_RPC_NAMES, REFLECTION_RPC_NAME];
/** accounts.v1.AccountsService's RPCs plus reflection: what an accounts-service caller may be allowed. */
export const ACCOUNTS_RPC_NAMES = ['SignUp', 'SignIn', 'ChangePassword'] as const;
export const ACCOUNTS_SERVICE_ALLOWED_RPC_NAMES: readonly string[] = [...ACCOUNTS_RPC_NAMES, REFLECTION_RPC_NAME];

export interface GrpcCaller {
  /** Appears in logs and metrics; never the key. */
  readonly name: string;
  /** Lower-case hex SHA-256 of each accepted key: two during a rotation. */
  readonly keyHashes: readonly string[];
  /** RPC names (e.g. ValidateSession) this caller may call. */
  readonly rpcs: readonly string[];
}

const CALLER_NAME = /^[a-z][a-z0-9_-]{0,31}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** `name=a,b;name2=c` -> [[name, [a, b]], [name2, [c]]]; blanks around separators are ignored. */
function entries(text: string): [string, string[]][] {
  return text
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      const name = (eq < 0 ? part : part.slice(0, eq)).trim();
      const values =
        eq < 0
          ? []
          : part
              .slice(eq + 1)
              .split(',')
              .map((v) => v.trim())
              .filter(Boolean);
      return [name, values];
    });
}

/**
 * Joins GRPC_CALLERS (`name=Rpc,Rpc;...`) and GRPC_CALLER_KEY_HASHES
 * (`name=sha256hex[,sha256hex];...`) into callers. Every problem is returned
 * (one line each, never echoing a hash) so the start fails listing them all.
 */
export function parseGrpcCallers(
  callersText: string,
  keyHashesText: string,
  knownRpcs: readonly string[] = SESSION_SERVICE_ALLOWED_RPC_NAMES,
): { callers: GrpcCaller[]; problems: string[] } {
  const problems: string[] = [];
  const rpcsByName = new Map<string, string[]>();
  for (const [name, rpcs] of entries(callersText)) {
    if (!CALLER_NAME.test(name)) problems.push(`GRPC_CALLERS: caller name ${JSON.stringify(name)} must match ${CALLER_NAME.source}`);
    else if (rpcsByName.has(name)) problems.push(`GRPC_CALLERS: caller ${name} is listed twice`);
    const unknown = rpcs.filter((rpc) => !knownRpcs.includes(rpc));
    if (unknown.length)
      problems.push(`GRPC_CALLERS: caller ${name} allows unknown RPCs ${unknown.join(', ')} (known: ${knownRpcs.join(', ')})`);
    if (rpcs.length === 0) problems.push(`GRPC_CALLERS: caller ${name} allows no RPC (write ${name}=ValidateSession,...)`);
    rpcsByName.set(name, rpcs);
  }
  const hashesByName = new Map<string, string[]>();
  for (const [name, hashes] of entries(keyHashesText)) {
    if (!rpcsByName.has(name)) problems.push(`GRPC_CALLER_KEY_HASHES: caller ${JSON.stringify(name)} is not in GRPC_CALLERS`);
    if (hashesByName.has(name)) problems.push(`GRPC_CALLER_KEY_HASHES: caller ${name} is listed twice`);
    if (hashes.length === 0 || hashes.length > 2)
      problems.push(`GRPC_CALLER_KEY_HASHES: caller ${name} needs one key hash, or two during a rotation`);
    if (hashes.some((h) => !SHA256_HEX.test(h)))
      problems.push(`GRPC_CALLER_KEY_HASHES: caller ${name} has a value that is not a lower-case hex SHA-256 (64 characters)`);
    hashesByName.set(name, hashes);
  }
  for (const name of rpcsByName.keys()) {
    if (!hashesByName.has(name)) problems.push(`GRPC_CALLER_KEY_HASHES: caller ${name} has no key hash`);
  }
  const allHashes = [...hashesByName.values()].flat();
  if (new Set(allHashes).size !== allHashes.length)
    problems.push('GRPC_CALLER_KEY_HASHES: the same key hash is given twice (each key identifies one caller)');
  const callers = [...rpcsByName].map(([name, rpcs]) => ({ name, rpcs, keyHashes: hashesByName.get(name) ?? [] }));
  return { callers, problems };
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/**
 * True for 127.0.0.0/8, ::1 and their IPv4-mapped forms (::ffff:127.0.0.1):
 * BlockList matches mapped addresses against the IPv4 rule. Anything that is
 * not an IP literal (a Unix socket, 'unknown') is not loopback.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  const bare = address?.replace(/^\[(.*)\]$/, '$1');
  const family = bare ? isIP(bare) : 0;
  if (!bare || family === 0) return false;
  return loopback.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** A listen host that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || isLoopbackAddress(host);
}
