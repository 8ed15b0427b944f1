// Finds the processes a command started, read from /proc (Linux). Nx starts
// each task in a new session, so signals to our child's process group do not
// reach them; the tree of parent ids does.
import { readdirSync, readFileSync } from 'node:fs';

/** `{ppid, state}` of a process, or undefined when it is gone. */
function readStat(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** Every live descendant of `rootPid` (children, grandchildren, ...). */
export function descendantsOf(rootPid) {
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const childrenOf = new Map();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (!stat) continue;
    const siblings = childrenOf.get(stat.ppid) ?? [];
    siblings.push(Number(entry));
    childrenOf.set(stat.ppid, siblings);
  }
  const found = [];
  const queue = [rootPid];
  while (queue.length) {
    for (const child of childrenOf.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** True while the process exists and is not a zombie waiting to be reaped. */
export function isRunning(pid) {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}
