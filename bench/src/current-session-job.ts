import type { Pacing } from './load-result';
import type { LoadJob } from './loader-main';

/** (1)'s request, `GET /api/sessions/current` with one Bearer token per request rotated over `tokens`, through the gateway at `url`. */
export function currentSessionJob(url: string, tokens: readonly string[]): (pacing: Pacing) => LoadJob {
  const credentials = tokens.map((t) => `Bearer ${t}`);
  return (pacing) => ({
    kind: 'http',
    url,
    method: 'GET',
    path: '/api/sessions/current',
    credentialHeader: 'authorization',
    credentials,
    pacing,
  });
}
