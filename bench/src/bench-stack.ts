import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { freePort, startEmbeddedDb, startProcess, uniqueDbName, type RunningProcess } from '@session/testing';
import { summarizeLog } from './log-summary';
import { spawnGateway, spawnSessionService, type ServiceProcess, type SpawnOptions } from './service-processes';

export interface ServicesOptions {
  service?: SpawnOptions;
  /** false: no gateway (a comparison of session services alone, where an idle gateway's feed subscription would load one side). */
  gateway?: SpawnOptions | false;
}

interface Handle {
  name: string;
  proc: RunningProcess;
  stop(): Promise<unknown>;
}

const pidOf = (proc: RunningProcess) => proc.child.pid ?? 0;

interface Database {
  uri: string;
  /** What the bench runs on, for the report. */
  label: string;
  /** The embedded database's process; 0 when external (its CPU is not ours to count). */
  pid: number;
  stop(): Promise<void>;
}

/** Another build of the embedded database launcher (same flags), e.g. one with a patched FerretDB, to compare. */
async function startOtherEmbeddedDb(binary: string): Promise<Database> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-db-'));
  const port = await freePort();
  const proc = startProcess(binary, ['-data', dataDir, '-listen', `127.0.0.1:${port}`]);
  await proc.waitForLine(/^mongodb:\/\//, 30_000);
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    label: `embedded, ${binary} from BENCH_EMBEDDED_DB_BINARY`,
    pid: pidOf(proc),
    stop: async () => {
      await proc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The embedded database; or the one in BENCH_MONGODB_URI (e.g. a MongoDB 7
 * on this machine), where the bench uses and drops its own database; or the
 * launcher binary in BENCH_EMBEDDED_DB_BINARY.
 */
async function openDatabase(env: NodeJS.ProcessEnv): Promise<Database> {
  if (env.BENCH_MONGODB_URI) return { uri: env.BENCH_MONGODB_URI, label: 'from BENCH_MONGODB_URI', pid: 0, stop: async () => undefined };
  if (env.BENCH_EMBEDDED_DB_BINARY) return startOtherEmbeddedDb(env.BENCH_EMBEDDED_DB_BINARY);
  const db = await startEmbeddedDb();
  return { uri: db.uri, label: 'embedded', pid: pidOf(db.process), stop: () => db.stop({ removeData: true }) };
}

/** Embedded database, session service, gateway and, on demand, the baseline app; all on 127.0.0.1 with free ports. */
export class BenchStack {
  readonly dbName = uniqueDbName('bench');
  service = { address: '', pid: 0, metricsUrl: '' };
  gateway = { url: '', pid: 0, metricsUrl: '' };
  baseline?: { url: string; pid: number; metricsUrl: string };
  private readonly running: Handle[] = [];
  private readonly started: Handle[] = [];

  private constructor(
    private readonly db: Database,
    readonly mongo: MongoClient,
  ) {}

  get mongoUri(): string {
    return this.db.uri;
  }

  get databaseLabel(): string {
    return this.db.label;
  }

  get databasePid(): number {
    return this.db.pid;
  }

  static async start(services: ServicesOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<BenchStack> {
    const db = await openDatabase(env);
    const mongo = await MongoClient.connect(db.uri).catch(async (err: unknown) => {
      await db.stop();
      throw err;
    });
    const stack = new BenchStack(db, mongo);
    try {
      await stack.startServices(services);
      return stack;
    } catch (err) {
      await stack.stop();
      throw err;
    }
  }

  /** (Re)starts the session service and gateway, e.g. with profiling on after seeding. */
  async startServices(options: ServicesOptions = {}): Promise<void> {
    await this.stopProcesses();
    const service = await spawnSessionService(this.db.uri, this.dbName, options.service);
    this.track({ name: 'session service', ...service });
    this.service = { address: service.address, pid: service.pid, metricsUrl: service.metricsUrl };
    if (options.gateway === false) return;
    const gateway = await spawnGateway(service.address, options.gateway);
    this.track({ name: 'gateway', ...gateway });
    this.gateway = { url: gateway.url, pid: gateway.pid, metricsUrl: gateway.metricsUrl };
  }

  /**
   * One more session service on the same database (a second replica), stopped
   * with `stopExtra` or with the stack. Its name goes into the log summary.
   */
  async addSessionService(name: string, options: SpawnOptions = {}): Promise<ServiceProcess & { address: string; metricsUrl: string }> {
    const service = await spawnSessionService(this.db.uri, this.dbName, options);
    this.track({ name, ...service });
    return service;
  }

  /** One more gateway (e.g. with other cache settings) in front of `sessionServiceUrl`. */
  async addGateway(
    name: string,
    sessionServiceUrl: string,
    options: SpawnOptions = {},
  ): Promise<ServiceProcess & { url: string; metricsUrl: string }> {
    const gateway = await spawnGateway(sessionServiceUrl, options);
    this.track({ name, ...gateway });
    return gateway;
  }

  /** Stops processes added with addSessionService / addGateway, gateways first, so they do not hold CPU in later phases. */
  async stopExtra(...processes: ServiceProcess[]): Promise<void> {
    for (const p of processes) {
      const i = this.running.findIndex((h) => h.proc === p.proc);
      if (i >= 0) this.running.splice(i, 1);
      await p.stop().catch(() => undefined);
    }
  }

  /** Starts the express-session + connect-mongo app (express-session-app.ts) on the same database. */
  async startBaseline(): Promise<void> {
    const proc = startProcess(process.execPath, [join(__dirname, 'express-session-app.js')], {
      env: { ...process.env, BENCH_MONGODB_URI: this.db.uri, BENCH_MONGODB_DB: this.dbName },
    });
    this.track({ name: 'express-session baseline', proc, stop: () => proc.stop() });
    const line = await proc.waitForLine(/express-session baseline listening/, 30_000);
    const { port } = JSON.parse(line.input ?? '{}') as { port: number };
    this.baseline = { url: `http://127.0.0.1:${port}`, pid: pidOf(proc), metricsUrl: `http://127.0.0.1:${port}/bench/metrics` };
  }

  private track(handle: Handle): void {
    this.running.push(handle);
    this.started.push(handle);
  }

  /** What each process logged at warn or above during the run, for the report. */
  logSummaries(): string[] {
    return this.started
      .map((h) => [h.name, summarizeLog(h.proc.output())] as const)
      .filter(([, s]) => s)
      .map(([name, s]) => `${name} logged ${s}`);
  }

  private async stopProcesses(): Promise<void> {
    // Gateway before service, so in-flight calls drain the way they would in production.
    for (const handle of this.running.splice(0).reverse()) await handle.stop().catch(() => undefined);
  }

  private stopped?: Promise<void>;

  /** Stops everything once; a second call (a signal handler and the run's own finally) waits for the same stop. */
  stop(): Promise<void> {
    return (this.stopped ??= this.stopAll());
  }

  private async stopAll(): Promise<void> {
    await this.stopProcesses();
    await this.mongo
      .db(this.dbName)
      .dropDatabase()
      .catch(() => undefined);
    await this.mongo.close().catch(() => undefined);
    await this.db.stop();
  }
}
