// One build at a time per output: test workers that all find the binary missing would otherwise
// compile FerretDB side by side (minutes of both cores each) and write the same work folder.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 500;

function ownerAlive(lockDir) {
  try {
    process.kill(Number(readFileSync(join(lockDir, 'pid'), 'utf8')), 0);
    return true;
  } catch (err) {
    // EPERM: alive but someone else's; anything else (no such process, lock already gone): not alive.
    return err.code === 'EPERM';
  }
}

/** Puts the lock folder in place with its owner's pid already inside (renaming a folder is atomic). */
function tryLock(lockDir) {
  const candidate = `${lockDir}.${process.pid}`;
  mkdirSync(candidate, { recursive: true });
  writeFileSync(join(candidate, 'pid'), String(process.pid));
  try {
    renameSync(candidate, lockDir);
    return true;
  } catch (err) {
    rmSync(candidate, { recursive: true, force: true });
    if (err.code === 'ENOTEMPTY' || err.code === 'EEXIST') return false;
    throw err;
  }
}

/** Runs `fn` holding a lock folder; a lock left by a dead process is taken over. */
export async function withLock(lockDir, fn) {
  let announced = false;
  while (!tryLock(lockDir)) {
    if (!ownerAlive(lockDir)) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced) console.log(`embedded-db build: waiting for another build of the same output (${lockDir})`);
    announced = true;
    await sleep(POLL_MS);
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
