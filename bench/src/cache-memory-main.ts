/**
 * The memory phase (9) on its own, without the other phases' load or a
 * million stored sessions: `npx nx run bench:cache-memory`. It mints the live
 * pool (BENCH_LIVE_SESSIONS, 10,000), pads user_sessions to the cache size
 * (100,000) keeping the padding's tokens, and runs measureCacheMemory as the
 * full run does. Figures to stdout, progress to stderr.
 */
import { parseBenchOptions } from './bench-options';
import { progress } from './bench-phases';
import { FILL_CONCURRENCY, kibPerEntry, measureCacheMemory } from './cache-memory';
import { int } from './format';
import { runMemoryScript } from './memory-script';
import { padSessions } from './seed-sessions';

const o = parseBenchOptions(process.argv.slice(2), process.env);

runMemoryScript(o.liveSessions, async (stack, live) => {
  const fillCount = Math.max(0, o.cacheEntries - live.tokens.length);
  progress(`minted ${int(live.tokens.length)} sessions; padding user_sessions to ${int(o.cacheEntries)}`);
  const padding = await padSessions(stack.mongo.db(stack.dbName), o.cacheEntries, o.seedBudgetS * 1_000, {
    keepTokens: fillCount,
    templateSessionId: live.sessionIds[0],
  });
  progress(`(9) a fresh gateway validates ${int(live.tokens.length)} + ${int(padding.tokens.length)} sessions once each`);
  const c = await measureCacheMemory(stack, live.tokens, padding.tokens, FILL_CONCURRENCY, o.fillBudgetS);
  const added = (c.entriesAfter ?? 0) - (c.entriesBefore ?? 0);
  process.stdout.write(
    [
      `(9) ${int(c.validated)} validated in ${c.seconds.toFixed(0)} s, ${c.errors} errors${c.firstError ? ` (${c.firstError})` : ''}, ${FILL_CONCURRENCY} in flight, ${int(padding.total)} stored`,
      `    cache entries ${int(c.entriesBefore ?? 0)} -> ${int(c.entriesAfter ?? 0)} (+${int(added)})`,
      `    gateway RSS after a full GC ${c.rssBeforeMb.toFixed(1)} -> ${c.rssAfterMb.toFixed(1)} MiB${c.settled ? '' : ' (still moving at the time-out)'}: ${kibPerEntry(c).toFixed(2)} KiB per entry`,
      `    gateway RSS at the end of the fill, before the GC: ${c.rssAfterPassMb.toFixed(1)} MiB; peak ${c.gateway.sampledPeakMb.toFixed(1)} MiB sampled (VmHWM ${c.gateway.hwmMb.toFixed(1)})`,
      `    session service RSS peak ${c.service.sampledPeakMb.toFixed(1)} MiB sampled (VmHWM ${c.service.hwmMb.toFixed(1)})`,
      '',
    ].join('\n'),
  );
});
