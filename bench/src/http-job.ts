import type { Pacing } from './load-result';

/** A plain-data description of an HTTP load, so it can cross to the loader process. */
export interface HttpJob {
  kind: 'http';
  /** Origin, e.g. http://127.0.0.1:3000 */
  url: string;
  method: 'GET' | 'PATCH';
  path: string;
  /** Which header carries the credential, and its values, rotated one per request. */
  credentialHeader: 'authorization' | 'cookie';
  credentials: string[];
  /** PATCH a small JSON merge patch whose value changes on every request. */
  mergePatch?: boolean;
  pacing: Pacing;
}
