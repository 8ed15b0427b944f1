import { execFile } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedDb, workspaceRoot, type EmbeddedDb } from '@session/testing';
import { startTestService, type TestService } from '../testing/test-service';

/**
 * The README's grpcurl and grpc_health_probe commands, run as printed with
 * the pinned binaries (go-tools:build, a dependency of this project's test
 * target): only the address, the token and the key are substituted.
 */
const root = workspaceRoot();
const README_ADDRESS = '127.0.0.1:50051';
const TOKEN_PLACEHOLDER = '<token from CreateSession>';
const KEY_PLACEHOLDER = '<key>';

function readmeCommands(): string[] {
  const blocks = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.flatMap((block) => block.split('\n')).filter((line) => /^(grpcurl|grpc_health_probe) /.test(line));
}

// The README names the tools as people install them; the pinned builds are linked under those names.
const bin = mkdtempSync(join(tmpdir(), 'grpc-tools-'));
symlinkSync(join(root, 'dist/tools/go-bin/grpcurl'), join(bin, 'grpcurl'));
symlinkSync(join(root, 'dist/tools/go-bin/grpc-health-probe'), join(bin, 'grpc_health_probe'));

interface Run {
  code: number;
  out: string;
}

function run(command: string, substitutions: Record<string, string>): Promise<Run> {
  let line = command;
  for (const [from, to] of Object.entries(substitutions)) line = line.split(from).join(to);
  return new Promise((resolve) => {
    execFile('/bin/sh', ['-c', line], { cwd: root, env: { PATH: `${bin}:/usr/bin:/bin` }, timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

const newKey = () => randomBytes(32).toString('base64');
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');

describe('the README gRPC commands', () => {
  const commands = readmeCommands();
  const development = commands.filter((c) => !c.includes(KEY_PLACEHOLDER));
  const withKey = commands.filter((c) => c.includes(KEY_PLACEHOLDER));
  const key = newKey();
  let db: EmbeddedDb;
  let dev: TestService;
  let prod: TestService;

  beforeAll(async () => {
    db = await startEmbeddedDb();
    // As `npm start` runs it: no callers (loopback only), reflection on.
    dev = await startTestService({ db, env: { GRPC_REFLECTION: 'true' } });
    // As docker-compose runs it: callers configured, reflection off.
    prod = await startTestService({
      db,
      apiKey: key,
      env: { GRPC_CALLERS: 'gateway=CreateSession,ValidateSession', GRPC_CALLER_KEY_HASHES: `gateway=${sha256(key)}` },
    });
  });
  afterAll(async () => {
    await dev?.close();
    await prod?.close();
    await db?.stop({ removeData: true });
    rmSync(bin, { recursive: true, force: true });
  });

  it('are all found (list, describe of the service and a message, health check, probe, create, validate, with a key)', () => {
    expect(development.map((c) => c.split(' ').slice(0, 3).join(' '))).toEqual(
      expect.arrayContaining(['grpcurl -plaintext 127.0.0.1:50051', 'grpc_health_probe -addr 127.0.0.1:50051']),
    );
    expect(development.filter((c) => / describe /.test(c))).toHaveLength(2);
    expect(withKey).toHaveLength(1);
  });

  it('work as printed against the development setup', async () => {
    const { token } = await dev.api.createSession({});
    const substitutions = { [README_ADDRESS]: dev.address, [TOKEN_PLACEHOLDER]: token };
    const results = await Promise.all(development.map(async (command) => ({ command, ...(await run(command, substitutions)) })));
    for (const r of results)
      expect({ command: r.command, code: r.code, out: r.out }).toEqual({ command: r.command, code: 0, out: expect.any(String) });
    const out = (fragment: string) => results.find((r) => r.command.includes(fragment) || r.command.endsWith(fragment.trim()))!.out;
    expect(out(' list')).toMatch(/^grpc\.health\.v1\.Health$/m);
    expect(out(' list')).toMatch(/^session\.v1\.SessionService$/m);
    expect(out('describe session.v1.SessionService')).toContain(
      'rpc ValidateSession ( .session.v1.ValidateSessionRequest ) returns ( .session.v1.ValidateSessionResponse );',
    );
    expect(out('describe session.v1.Session ')).toContain('.google.protobuf.Struct user_data');
    expect(out('describe session.v1.Session ')).toContain('.google.protobuf.Timestamp created_at');
    expect(out('Health/Check')).toContain('"status": "SERVING"');
    expect(out('grpc_health_probe')).toContain('status: SERVING');
    expect(out('/CreateSession')).toMatch(/"token": "[0-9a-f-]{36}\./);
    expect(out('/ValidateSession')).toContain(`"session_id": "${token.split('.')[0]}"`);
  });

  it('reach the production setup only with the key, and reflection stays off there', async () => {
    const { token } = await prod.api.createSession({});
    const substitutions = { [README_ADDRESS]: prod.address, [TOKEN_PLACEHOLDER]: token, [KEY_PLACEHOLDER]: key };
    const served = await run(withKey[0], substitutions);
    // JSON names differ by source: from the .proto file grpcurl prints protoc's camelCase json_name.
    expect(served).toEqual({ code: 0, out: expect.stringContaining(`"sessionId": "${token.split('.')[0]}"`) });
    const wrongKey = await run(withKey[0], { ...substitutions, [KEY_PLACEHOLDER]: newKey() });
    expect(wrongKey.code).not.toBe(0);
    expect(wrongKey.out).toContain('Code: Unauthenticated');
    const list = await run(
      development.find((c) => c.endsWith(' list'))!,
      { [README_ADDRESS]: prod.address },
    );
    expect(list.code).not.toBe(0);
    expect(list.out).toMatch(/does not support the reflection API/);
    const probe = await run(
      development.find((c) => c.startsWith('grpc_health_probe'))!,
      { [README_ADDRESS]: prod.address },
    );
    expect(probe).toEqual({ code: 0, out: expect.stringContaining('status: SERVING') });
  });
});
