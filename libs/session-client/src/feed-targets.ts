import { lookup } from 'node:dns/promises';
import type { FeedSubscriber } from './feed-subscriber';

/**
 * The replicas to subscribe to. An explicit list (SESSION_FEED_TARGETS) is
 * taken as is; otherwise every address the session service URL resolves to
 * (`dns:///name:port` and `ipv4:a:p,b:p` name all replicas; a plain `host:port` is one).
 */
export async function resolveFeedTargets(explicit: readonly string[], serviceUrl: string): Promise<string[]> {
  if (explicit.length > 0) return [...explicit];
  // grpc-js's static lists (`ipv4:a:p,b:p`, `ipv6:[a]:p,...`) name every replica themselves.
  const list = /^ipv[46]:(.+)$/.exec(serviceUrl);
  if (list)
    return [
      ...new Set(
        list[1]
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ].sort();
  if (!serviceUrl.startsWith('dns:///')) return [serviceUrl];
  const hostPort = serviceUrl.slice('dns:///'.length);
  const colon = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, colon);
  const port = hostPort.slice(colon + 1);
  const addresses = await lookup(host, { all: true });
  return [...new Set(addresses.map((a) => (a.family === 6 ? `[${a.address}]:${port}` : `${a.address}:${port}`)))].sort();
}

/**
 * Re-resolves a dns:/// service URL every intervalMs so a replica that
 * joins is subscribed to (until then the cache would miss its changes, so
 * scale-ups should set SESSION_FEED_TARGETS or keep the interval short).
 * A failed lookup keeps the current targets. Returns a stop function.
 */
export function followFeedTargets(
  subscriber: FeedSubscriber,
  explicit: readonly string[],
  serviceUrl: string,
  intervalMs: number,
  onError: (err: unknown) => void,
): () => void {
  if (explicit.length > 0 || !serviceUrl.startsWith('dns:///')) return () => undefined;
  const timer = setInterval(() => {
    resolveFeedTargets(explicit, serviceUrl).then((targets) => subscriber.setTargets(targets), onError);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
