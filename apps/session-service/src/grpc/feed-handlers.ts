import type { SessionFeedServiceHandlers } from '@session/proto';
import type { SessionService } from '../domain/session-service';
import type { ChangeBus } from '../feed/change-bus';
import { FeedSubscription, type FeedCall, type FeedStreamSettings } from './feed-subscription';
import { createRpcWrapper, type RpcDependencies } from './unary-wrapper';

/**
 * session.v1.SessionFeedService: WatchSessionChanges streams this replica's change bus to one
 * subscriber; TouchSessions is an ordinary unary call (deadline budget, status mapping, metrics).
 */
export function createFeedHandlers(
  service: SessionService,
  bus: ChangeBus,
  settings: FeedStreamSettings,
  deps: RpcDependencies,
): SessionFeedServiceHandlers {
  const { logger, metrics } = deps;
  const wrap = createRpcWrapper(deps);
  return {
    WatchSessionChanges: (call: FeedCall) => {
      const peer = call.getPeer();
      const subscription: FeedSubscription = new FeedSubscription(call, bus.streamId, settings, {
        onOverflow: () => {
          metrics.feedStreamOverflowed();
          logger.warn({ peer, bufferSize: settings.bufferSize }, 'feed subscriber fell behind; stream ended');
        },
        onDone: () => bus.unsubscribe(subscription),
      });
      if (!bus.subscribe(subscription)) {
        // Shutting down: the RESET went out, the end follows at once; the subscriber tries another replica.
        subscription.onClose();
        return;
      }
      logger.debug({ peer }, 'feed subscriber attached');
    },

    TouchSessions: wrap('TouchSessions', async (req, ctx) => ({ touched_count: await service.touchMany(req.session_ids, ctx) })),
  };
}
