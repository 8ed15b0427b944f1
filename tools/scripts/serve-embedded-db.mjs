// Runs the embedded development database for `nx run embedded-db:serve`,
// restarting it when it crashes (tools/scripts/supervisor.mjs); when it keeps
// crashing, this exits non-zero with the reason. With MONGODB_URI set, an
// external database is in use: the task still stays alive (idle) so the
// continuous task graph is the same either way.
import { existsSync } from 'node:fs';
import { embeddedDbPart, root } from './stack-parts.mjs';
import { supervise } from './supervisor.mjs';

const signals = ['SIGINT', 'SIGTERM'];
const log = (line) => console.log(`serve: ${line}`);

if (process.env.MONGODB_URI) {
  log('MONGODB_URI is set, using the external database (nothing to start)');
  // An interval keeps the event loop alive until a signal arrives.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  for (const s of signals)
    process.once(s, () => {
      clearInterval(keepAlive);
      process.exit(0);
    });
} else {
  const part = embeddedDbPart();
  if (!existsSync(part.command)) {
    console.error(`embedded-db: ${part.command} is missing; run "npx nx run embedded-db:build" (needs Go)`);
    process.exit(1);
  }
  const db = supervise({
    ...part,
    cwd: root,
    log,
    onGiveUp: (reason) => {
      console.error(`embedded-db: ${reason}`);
      process.exit(1);
    },
  });
  for (const s of signals) process.once(s, () => db.stop(s).then(() => process.exit(0)));
}
