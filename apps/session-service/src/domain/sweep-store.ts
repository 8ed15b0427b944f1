import type { CallContext } from './call-context';

/** Which rule made a session removable; also the `kind` label of the swept counter. */
export type SweepKind = 'expired' | 'revoked' | 'orphan';

/** The storage the sweeper needs (a port: db/session-repository.ts implements it). */
export interface SweepStore {
  /** Up to `limit` ids of sessions removable under `kind`, judged against `cutoff`. */
  findSweepableIds(kind: SweepKind, cutoff: Date, limit: number, ctx: CallContext): Promise<string[]>;
  /**
   * Deletes those of `ids` that still match the rule (a session touched meanwhile stays) and returns
   * the ids that are gone, so each removal can be published.
   */
  deleteSweepable(kind: SweepKind, cutoff: Date, ids: string[], ctx: CallContext): Promise<string[]>;
}
