import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedDb, startProcess, uniqueDbName, type RunningProcess } from '@session/testing';
import { spawnGateway, spawnSessionService, type SpawnOptions } from './service-processes';

export interface ServicesOptions {
  service?: SpawnOptions;
  gateway?: SpawnOptions;
}

interface Handle {
  stop(): Promise<unknown>;
}

const pidOf = (proc: RunningProcess) => proc.child.pid ?? 0;

interface Database {
  uri: string;
  /** What the bench runs on, for the report. */
  kind: 'embedded' | 'external';
  /** The embedded database's process; 0 when external (its CPU is not ours to count). */
  pid: number;
  stop(): Promise<void>;
}

/**
 * The embedded database, or the one in BENCH_MONGODB_URI (e.g. a MongoDB 7
 * on this machine) when set; the bench then uses its own database in it.
 */
async function openDatabase(externalUri: string | undefined): Promise<Database> {
  if (externalUri) return { uri: externalUri, kind: 'external', pid: 0, stop: async () => undefined };
  const db = await startEmbeddedDb();
  return { uri: db.uri, kind: 'embedded', pid: pidOf(db.process), stop: () => db.stop({ removeData: true }) };
}

/** Embedded database, session service, gateway and, on demand, the baseline app; all on 127.0.0.1 with free ports. */
export class BenchStack {
  readonly dbName = uniqueDbName('bench');
  service = { address: '', pid: 0 };
  gateway = { url: '', pid: 0 };
  baseline?: { url: string; pid: number };
  private readonly running: Handle[] = [];

  private constructor(
    private readonly db: Database,
    readonly mongo: MongoClient,
  ) {}

  get mongoUri(): string {
    return this.db.uri;
  }

  get databaseKind(): Database['kind'] {
    return this.db.kind;
  }

  get databasePid(): number {
    return this.db.pid;
  }

  static async start(services: ServicesOptions = {}, externalUri = process.env.BENCH_MONGODB_URI): Promise<BenchStack> {
    const db = await openDatabase(externalUri);
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
    this.running.push(service);
    this.service = { address: service.address, pid: service.pid };
    const gateway = await spawnGateway(service.address, options.gateway);
    this.running.push(gateway);
    this.gateway = { url: gateway.url, pid: gateway.pid };
  }

  /** Starts the express-session + connect-mongo app (express-session-app.ts) on the same database. */
  async startBaseline(): Promise<void> {
    const proc = startProcess(process.execPath, [join(__dirname, 'express-session-app.js')], {
      env: { ...process.env, BENCH_MONGODB_URI: this.db.uri, BENCH_MONGODB_DB: this.dbName },
    });
    this.running.push({ stop: () => proc.stop() });
    const line = await proc.waitForLine(/express-session baseline listening/, 30_000);
    const { port } = JSON.parse(line.input ?? '{}') as { port: number };
    this.baseline = { url: `http://127.0.0.1:${port}`, pid: pidOf(proc) };
  }

  private async stopProcesses(): Promise<void> {
    // Gateway before service, so in-flight calls drain the way they would in production.
    for (const handle of this.running.splice(0).reverse()) await handle.stop().catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.stopProcesses();
    await this.mongo.db(this.dbName).dropDatabase().catch(() => undefined);
    await this.mongo.close().catch(() => undefined);
    await this.db.stop();
  }
}
