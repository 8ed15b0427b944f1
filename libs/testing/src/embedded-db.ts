import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startProcess, type RunningProcess } from './child-process';
import { freePort } from './free-port';
import { workspaceRoot } from './workspace-root';

export interface EmbeddedDb {
  readonly uri: string;
  readonly port: number;
  readonly dataDir: string;
  readonly process: RunningProcess;
  /** Stops the database; the data folder stays (for restart tests) unless `removeData`. */
  stop(options?: { removeData?: boolean; signal?: NodeJS.Signals }): Promise<void>;
  /** Starts it again on the same port and data folder (after `stop`). */
  restart(): Promise<void>;
}

/**
 * Path of the embedded database binary. When it is missing it is built the way `nx run
 * embedded-db:build` builds it (tools/embedded-db/build.mjs, with FerretDB's fixes: a plain
 * `go build` would give specs an unpatched database); build.mjs serialises workers racing here.
 */
export function embeddedDbBinary(): string {
  const root = workspaceRoot();
  const binary = join(root, 'dist', 'tools', 'embedded-db');
  if (!existsSync(binary)) {
    const build = spawnSync(process.execPath, [join(root, 'tools', 'embedded-db', 'build.mjs'), '--if-missing'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (build.status !== 0 || !existsSync(binary)) {
      throw new Error(
        `the embedded database binary ${binary} is missing and building it failed (see the "embedded-db build:" line above); run "npx nx run embedded-db:build"`,
      );
    }
  }
  return binary;
}

async function waitForPing(uri: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1_000 });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.close().catch(() => undefined);
    }
  }
  throw new Error(`embedded database did not answer ping at ${uri}: ${String(lastError)}`);
}

/** Starts FerretDB (SQLite) on a free loopback port in a fresh temp folder and waits for ping. */
/** `logLevel: 'debug'` makes FerretDB log every SQL query with its arguments (specs check what reaches SQL). */
export async function startEmbeddedDb(options: { port?: number; dataDir?: string; logLevel?: 'debug' } = {}): Promise<EmbeddedDb> {
  const binary = embeddedDbBinary();
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'embedded-db-'));
  const uri = `mongodb://127.0.0.1:${port}/`;

  const launch = async () => {
    const logLevel = options.logLevel ? ['-log-level', options.logLevel] : [];
    const proc = startProcess(binary, ['-data', dataDir, '-listen', `127.0.0.1:${port}`, ...logLevel]);
    await proc.waitForLine(/^mongodb:\/\//, 30_000);
    await waitForPing(uri, 30_000);
    return proc;
  };

  let proc = await launch();
  const db: EmbeddedDb = {
    uri,
    port,
    dataDir,
    get process() {
      return proc;
    },
    async stop({ removeData = false, signal = 'SIGTERM' } = {}) {
      await proc.stop(signal);
      if (removeData) rmSync(dataDir, { recursive: true, force: true });
    },
    async restart() {
      proc = await launch();
    },
  };
  return db;
}

/** A database name unique to one test file, so specs never see each other's data. */
export function uniqueDbName(prefix = 'test'): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
