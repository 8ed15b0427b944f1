// Runs the embedded development database for `nx run embedded-db:serve`.
// With MONGODB_URI set, an external database is in use: the task still stays
// alive (idle) so the continuous task graph is the same either way.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const signals = ['SIGINT', 'SIGTERM'];

if (process.env.MONGODB_URI) {
  console.log('embedded-db: MONGODB_URI is set, using the external database (nothing to start)');
  // An interval keeps the event loop alive until a signal arrives.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  for (const s of signals) process.once(s, () => {
    clearInterval(keepAlive);
    process.exit(0);
  });
} else {
  const binary = join(root, 'dist', 'tools', 'embedded-db');
  if (!existsSync(binary)) {
    console.error(`embedded-db: ${binary} is missing; run "npx nx run embedded-db:build" (needs Go)`);
    process.exit(1);
  }
  const port = process.env.EMBEDDED_DB_PORT || '27017';
  // Relative to the workspace root, so data persists in ./.data/ across restarts.
  const child = spawn(binary, ['-data', join(root, '.data', 'db'), '-listen', `127.0.0.1:${port}`], { cwd: root, stdio: 'inherit' });
  for (const s of signals) process.on(s, () => child.kill(s));
  child.on('error', (err) => {
    console.error(`embedded-db: cannot start: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
}
