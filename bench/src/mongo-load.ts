import { MongoClient, type Filter } from 'mongodb';
import type { LoadResult, Pacing } from './load-result';
import { runOperations } from './op-loops';

export interface MongoFindJob {
  kind: 'mongo-find';
  uri: string;
  dbName: string;
  /**
   * `session_id` is the lookup the schema indexes; `_id` (which holds the same
   * value) is the only filter FerretDB 1.x hands to its storage instead of
   * scanning the collection, so both are measured.
   */
  field: 'session_id' | '_id';
  sessionIds: string[];
  /** Driver pool size: the session service's default, so the floor gets the same connections. */
  maxPoolSize: number;
  pacing: Pacing;
}

/** The floor: the bare driver reading one session document by its id, nothing else. */
export async function runMongoFindJob(job: MongoFindJob): Promise<LoadResult> {
  const client = await MongoClient.connect(job.uri, { maxPoolSize: job.maxPoolSize });
  try {
    const sessions = client.db(job.dbName).collection<{ _id: string; session_id: string }>('user_sessions');
    return await runOperations(async (i) => {
      const filter: Filter<{ _id: string; session_id: string }> = { [job.field]: job.sessionIds[i % job.sessionIds.length] };
      // The same 2 s budget the gateway gives a gRPC call, so a slow scan cannot outlive its phase.
      const doc = await sessions.findOne(filter, { maxTimeMS: 2_000 });
      if (!doc) throw new Error('session document not found');
    }, job.pacing);
  } finally {
    await client.close();
  }
}
