import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { freePort, startProcess, type RunningProcess } from '@session/testing';
import { coldGoEnv, runEmbeddedDbBuild } from './embedded-db-build';

// Downloading FerretDB's modules (about 125 MB) and compiling them on two shared cores.
const COLD_BUILD_LIMIT_MS = 20 * 60_000;

describe('embedded database build from empty Go caches (a first npm start)', () => {
  const go = coldGoEnv();
  let db: RunningProcess | undefined;

  afterAll(async () => {
    await db?.stop();
    go.dispose();
  });

  it(
    'downloads what it needs, builds, and the binary answers a MongoDB ping',
    async () => {
      const binary = join(go.dir, 'out', 'embedded-db');
      const build = await runEmbeddedDbBuild(binary, go.env);
      expect({ code: build.code, output: build.code === 0 ? '' : build.output }).toEqual({ code: 0, output: '' });
      console.log(`embedded database cold build (module download + compile): ${build.seconds.toFixed(0)} s`);

      const port = await freePort();
      db = startProcess(binary, ['-data', join(go.dir, 'data'), '-listen', `127.0.0.1:${port}`]);
      await db.waitForLine(/^mongodb:\/\//, 30_000);
      const client = new MongoClient(`mongodb://127.0.0.1:${port}/`, { serverSelectionTimeoutMS: 10_000 });
      try {
        expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
      } finally {
        await client.close();
      }
    },
    COLD_BUILD_LIMIT_MS,
  );
});
