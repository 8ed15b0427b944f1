/** Count and total seconds of one kind of database operation, from the session service's db_operation_seconds histogram. */
export interface DbOpStats {
  count: number;
  sumS: number;
}

export type DbOps = Record<string, DbOpStats>;

/** Reads db_operation_seconds_{count,sum} per operation from Prometheus text. */
export function parseDbOps(text: string): DbOps {
  const ops: DbOps = {};
  for (const m of text.matchAll(/^db_operation_seconds_(count|sum)\{operation="([^"]+)"\} ([\d.e+-]+)$/gm)) {
    const op = (ops[m[2]] ??= { count: 0, sumS: 0 });
    if (m[1] === 'count') op.count = Number(m[3]);
    else op.sumS = Number(m[3]);
  }
  return ops;
}

/** What happened between two scrapes; operations that did not run are left out. */
export function diffDbOps(before: DbOps, after: DbOps): DbOps {
  const diff: DbOps = {};
  for (const [op, a] of Object.entries(after)) {
    const count = a.count - (before[op]?.count ?? 0);
    if (count > 0) diff[op] = { count, sumS: a.sumS - (before[op]?.sumS ?? 0) };
  }
  return diff;
}

/** The session service's database operations so far; empty when the metrics endpoint cannot be read. */
export async function scrapeDbOps(metricsUrl: string): Promise<DbOps> {
  try {
    const res = await fetch(metricsUrl);
    return res.ok ? parseDbOps(await res.text()) : {};
  } catch {
    // Metrics are an extra explanation of the figures, never a reason to abort the run.
    return {};
  }
}
