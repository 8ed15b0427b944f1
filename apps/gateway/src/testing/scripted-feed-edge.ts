import { createSessionClient, SessionApi } from '@session/grpc-client';
import { FeedServer } from '@session/session-client/testing';
import { metricValue, waitUntil } from '@session/testing';
import { startEdgeStack, type EdgeStack, type ListeningGateway } from './edge-stack';

/** An edge stack whose gateway takes its change feed from a scripted FeedServer, and a direct client of the real service. */
export interface ScriptedFeedEdge {
  readonly edge: EdgeStack;
  readonly feed: FeedServer;
  readonly gateway: ListeningGateway;
  /** The real session service, called directly (changes the scripted feed does not report). */
  readonly api: SessionApi;
  close(): Promise<void>;
}

/**
 * The real database and session service (`serviceEnv`), a scripted feed, and a listening gateway
 * (`gatewayEnv` on top) subscribed to that feed only; resolves once the feed is connected, so the
 * cache may answer. What the feed says (and when) is then up to the spec.
 */
export async function startScriptedFeedEdge(
  gatewayEnv: Record<string, string> = {},
  serviceEnv: Record<string, string> = {},
): Promise<ScriptedFeedEdge> {
  const edge = await startEdgeStack({ serviceEnv });
  const feed = new FeedServer();
  await feed.start();
  // The scripted feed sends no heartbeats: a long stale bound keeps it trusted for the whole file.
  const gateway = await edge.listen({ SESSION_FEED_TARGETS: feed.target, FEED_STALE_AFTER: '600s', ...gatewayEnv });
  await waitUntil(async () => (await metricValue(gateway.metricsUrl, 'session_feed_connected', { target: feed.target })) === 1, {
    what: 'the feed to connect',
  });
  const api = new SessionApi(createSessionClient({ address: edge.stack.service.address }), 5_000);
  return {
    edge,
    feed,
    gateway,
    api,
    async close() {
      api.close();
      await edge.close();
      feed.kill();
    },
  };
}
