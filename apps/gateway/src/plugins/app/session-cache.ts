import {
  CachedValidator,
  createSessionCacheMetrics,
  FeedSubscriber,
  followFeedTargets,
  resolveFeedTargets,
  touchOverGrpc,
  validateOverGrpc,
} from '@session/session-client';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Token -> session from the near cache kept exact by the session change feed, else from the service. */
    sessionCache: CachedValidator;
  }
}

// A replica added behind a dns:/// name is subscribed to within this long (docs/edge-validation.md).
const FEED_TARGETS_REFRESH_MS = 30_000;

/**
 * The near cache of validations (libs/session-client): a FeedSubscriber on
 * every session-service replica (SESSION_FEED_TARGETS, else the addresses
 * SESSION_SERVICE_URL names), TouchSessions for sessions served only from
 * the cache, and the cache metrics on the gateway's registry. The feed's
 * state is a metric and a log line, never readiness: a suspended cache only
 * sends every validation to the service, as the gateway did without it.
 */
export default fp(
  async (fastify) => {
    const { config, metrics, sessionApi, log } = fastify;
    const settings = config.sessionCache;
    const targets = settings.enabled ? await resolveFeedTargets(settings.feedTargets, config.sessionServiceUrl) : [];
    const feed = new FeedSubscriber({ targets, staleAfterMs: settings.feedStaleAfterMs, apiKey: config.grpcApiKey });
    feed.on('reset', ({ target, streamId }) => log.info({ target, streamId }, 'session feed connected'));
    feed.on('down', ({ target, reason, detail }) =>
      log.warn({ target, reason, detail }, 'session feed down; validations go to the session service'),
    );
    const touches = touchOverGrpc({ address: config.sessionServiceUrl, apiKey: config.grpcApiKey, deadlineMs: config.grpcDeadlineMs });
    const validator = new CachedValidator({
      validate: validateOverGrpc(sessionApi),
      // Refresh-ahead: a busy entry is revalidated (not extended) before its max age instead of becoming a miss.
      refresh: settings.refreshConcurrency > 0 ? validateOverGrpc(sessionApi, { extend: false }) : undefined,
      maxRefreshesInFlight: settings.refreshConcurrency,
      touch: touches.touch,
      feed,
      metrics: createSessionCacheMetrics(metrics.registry),
      enabled: settings.enabled,
      maxEntries: settings.maxEntries,
      maxAgeMs: settings.maxAgeMs,
      touchIntervalMs: settings.touchIntervalMs,
      // A lost touch only costs an earlier idle expiry; the next hit after the interval queues it again.
      onTouchError: (err) => log.warn({ code: (err as { code?: unknown }).code }, 'TouchSessions failed'),
    });
    const stopFollowing = settings.enabled
      ? followFeedTargets(feed, settings.feedTargets, config.sessionServiceUrl, FEED_TARGETS_REFRESH_MS, (err) =>
          log.warn({ err }, 'session feed targets not re-resolved'),
        )
      : () => undefined;
    if (settings.enabled) feed.start();

    fastify.decorate('sessionCache', validator);
    fastify.addHook('onClose', async () => {
      stopFollowing();
      // Sends the queued touches, then stops listening to the feed.
      validator.close();
      feed.close();
      touches.close();
    });
  },
  { name: 'session-cache', dependencies: ['config', 'metrics', 'session-client'] },
);
