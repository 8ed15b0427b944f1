import type { SessionService } from '../domain/session-service';
import type { ChangeBus } from '../feed/change-bus';
import { createFeedHandlers } from './feed-handlers';
import type { FeedStreamSettings } from './feed-subscription';
import type { ServiceHandlers } from './grpc-server';
import { createSessionHandlers } from './session-handlers';
import type { RpcDependencies } from './unary-wrapper';

/** Both session.v1 services over one domain service and its change bus (main.ts and the test service wire it alike). */
export function createServiceHandlers(
  service: SessionService,
  changes: ChangeBus,
  feed: FeedStreamSettings,
  deps: RpcDependencies,
): ServiceHandlers {
  return { session: createSessionHandlers(service, deps), feed: createFeedHandlers(service, changes, feed, deps) };
}
