import { MongoClient, type Filter } from 'mongodb';
import type { LoadResult, Pacing } from './load-result';
import { runOperations } from './op-loops';

/**
 * The floor's filter: `_id`, the lookup the session service makes (its documents
 * keep the session id there), or `session_id`. FerretDB 1.24 hands only `_id`
 * equality to its storage's index and scans the collection for anything else.
 */
export type FloorField = '_id' | 'session_id';

export interface MongoFindJob {
  kind: 'mongo-find';
  uri: string;
  dbName: string;
  field: FloorField;
  sessionIds: string[];
  /** Each session's stored secret_hash (same order): set, the filter is `{_id, secret_hash}`, the session service's token lookup. */
  secretHashes?: string[];
  /** Driver pool size: the session service's default, so the floor gets the same connections. */
  maxPoolSize: number;
  pacing: Pacing;
}

/** The floor: the bare driver reading one session document by its id, nothing else. */
export async function runMongoFindJob(job: MongoFindJob): Promise<LoadResult> {
  const client = await MongoClient.connect(job.uri, { maxPoolSize: job.maxPoolSize });
  try {
    const sessions = client.db(job.dbName).collection<{ _id: string; session_id: string; secret_hash: string }>('user_sessions');
    return await runOperations(async (i) => {
      const k = i % job.sessionIds.length;
      const filter: Filter<{ _id: string; session_id: string; secret_hash: string }> = { [job.field]: job.sessionIds[k] };
      if (job.secretHashes) filter.secret_hash = job.secretHashes[k];
      // The same 2 s budget the gateway gives a gRPC call, so a slow scan cannot outlive its phase.
      const doc = await sessions.findOne(filter, { maxTimeMS: 2_000 });
      if (!doc) throw new Error('session document not found');
    }, job.pacing);
  } finally {
    await client.close();
  }
}
