import { readdirSync, readFileSync } from 'node:fs';

/** A process as /proc shows it; `startTicks` tells it apart from a later process given the same pid. */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  startTicks: number;
  /** R, S, D, ... Z for a zombie (exited, not yet reaped by its parent). */
  state: string;
  /** The command line, arguments joined by spaces. */
  command: string;
}

function readEntry(pid: number): ProcessEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces: fields are counted after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, state: fields[0], ppid: Number(fields[1]), startTicks: Number(fields[19]), command };
  } catch {
    // Gone between listing and reading: not a process any more.
    return undefined;
  }
}

/** Every live descendant of `root` (children, their children, ...), read from /proc (Linux). */
export function descendants(root: number): ProcessEntry[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readEntry(Number(name)))
    .filter((e): e is ProcessEntry => e !== undefined);
  const found: ProcessEntry[] = [];
  const parents = new Set([root]);
  // Breadth first: a child's pid may be lower than its parent's after pid wrap-around.
  for (let grew = true; grew;) {
    grew = false;
    for (const e of all)
      if (parents.has(e.ppid) && !parents.has(e.pid)) {
        parents.add(e.pid);
        found.push(e);
        grew = true;
      }
  }
  return found;
}

/** True while the very process `entry` describes runs (not a zombie, and not another one on a reused pid). */
export function isAlive(entry: ProcessEntry): boolean {
  const now = readEntry(entry.pid);
  return now !== undefined && now.startTicks === entry.startTicks && now.state !== 'Z' && now.state !== 'X';
}
