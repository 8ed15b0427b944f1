/**
 * Preloaded into a gateway the bench measures (node --expose-gc --require
 * dist/bench/memory-gc-hook.js): SIGWINCH runs a full GC there, so the memory
 * phase (9) can read RSS with the garbage of its load gone instead of
 * whatever V8 happened not to collect yet. Nothing else changes in the process.
 *
 * SIGWINCH because nothing in the services listens to it and its default is
 * to be ignored, so a process started without this hook ignores the signal;
 * SIGUSR2 (the usual "do something" signal) makes close-with-grace shut the
 * services down.
 */
const exposedGc = (globalThis as { gc?: () => void }).gc;
if (exposedGc) {
  const fullGc = exposedGc;
  process.on('SIGWINCH', () => {
    // Twice: objects freed by the first pass's finalizers go in the second.
    fullGc();
    fullGc();
  });
}

export {};
