#!/usr/bin/env bash
# Brings every spec in line with the naming rule of docs/testing.md (checked by
# deploy/src/spec-naming.spec.ts): an app/lib spec is named after the source file
# it tests, <source>[.<aspect>].spec.ts(x) / <source>[.<aspect>].integration-spec.ts.
# Each rename also deletes its line from the check's allow-list. Run once, from the
# repository root, when nobody else is editing these specs; re-running is harmless
# (a spec already renamed, or not there, is reported and skipped).
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
ALLOW_LIST=deploy/src/spec-naming.allow-list

# rename <old> <new> [sed expression for the spec's relative imports, when its depth changes]
rename() {
  local old=$1 new=$2 fix=${3:-}
  if ! git ls-files --error-unmatch "$old" >/dev/null 2>&1; then
    echo "skipped (not tracked): $old"
    return
  fi
  mkdir -p "$(dirname "$new")"
  git mv "$old" "$new"
  if [ -n "$fix" ]; then sed -i -E "$fix" "$new"; fi
  sed -i "\#^${old}\$#d" "$ALLOW_LIST"
  echo "$old -> $new"
}
DEEPER="s#from '\.\./(testing|app)([/'])#from '../../\1\2#"

# gateway
rename apps/gateway/src/auth/authorization-header.integration-spec.ts apps/gateway/src/auth/credential.header-cost.integration-spec.ts
rename apps/gateway/src/errors/transport-status.spec.ts apps/gateway/src/errors/to-problem.transport-status.spec.ts
rename apps/gateway/src/plugins/app/invalid-token-burst.integration-spec.ts apps/gateway/src/plugins/app/session-auth.invalid-token-burst.integration-spec.ts
rename apps/gateway/src/plugins/app/throttling.integration-spec.ts apps/gateway/src/plugins/external/rate-limit.integration-spec.ts
rename apps/gateway/src/plugins/app/trusted-proxy.integration-spec.ts apps/gateway/src/app.trusted-proxy.integration-spec.ts "s#from '\.\./\.\./testing/#from './testing/#"
rename apps/gateway/src/routes/cross-site-create.integration-spec.ts apps/gateway/src/routes/create-session.cross-site.integration-spec.ts
rename apps/gateway/src/routes/operations.integration-spec.ts apps/gateway/src/routes/health.integration-spec.ts
rename apps/gateway/src/routes/operations-listener.integration-spec.ts apps/gateway/src/routes/health.own-listener.integration-spec.ts
rename apps/gateway/src/routes/current-session.integration-spec.ts apps/gateway/src/routes/authenticated/current-session.integration-spec.ts "$DEEPER"
rename apps/gateway/src/routes/session-data.integration-spec.ts apps/gateway/src/routes/authenticated/session-data.integration-spec.ts "$DEEPER"
rename apps/gateway/src/routes/stored-user-data.integration-spec.ts apps/gateway/src/routes/authenticated/session-data.stored-user-data.integration-spec.ts "$DEEPER"
rename apps/gateway/src/routes/user-data-rules.integration-spec.ts apps/gateway/src/routes/authenticated/session-data.user-data-rules.integration-spec.ts "$DEEPER"
rename apps/gateway/src/routes/session-list.integration-spec.ts apps/gateway/src/routes/authenticated/session-list.integration-spec.ts "$DEEPER"
rename apps/gateway/src/routes/accounts.integration-spec.ts apps/gateway/src/routes/authenticated/accounts.integration-spec.ts "$DEEPER"
rename apps/gateway/src/routes/sessions.integration-spec.ts apps/gateway/src/routes/authenticated/session-list.current-user.integration-spec.ts "$DEEPER"

# session service
rename apps/session-service/src/db/client-reconnect.integration-spec.ts apps/session-service/src/db/session-repository.client-reconnect.integration-spec.ts
rename apps/session-service/src/domain/concurrency.integration-spec.ts apps/session-service/src/domain/session-service.concurrency.integration-spec.ts
rename apps/session-service/src/domain/session-lifecycle.integration-spec.ts apps/session-service/src/domain/session-service.lifecycle.integration-spec.ts
rename apps/session-service/src/feed/feed-cost.integration-spec.ts apps/session-service/src/feed/change-bus.cost.integration-spec.ts
rename apps/session-service/src/feed/feed-shutdown.integration-spec.ts apps/session-service/src/feed/change-bus.shutdown.integration-spec.ts
rename apps/session-service/src/feed/two-replicas.integration-spec.ts apps/session-service/src/feed/change-bus.two-replicas.integration-spec.ts
rename apps/session-service/src/grpc/caller-auth.integration-spec.ts apps/session-service/src/grpc/grpc-server.callers.integration-spec.ts
rename apps/session-service/src/grpc/caller-config-exit.integration-spec.ts apps/session-service/src/main.caller-config-exit.integration-spec.ts
rename apps/session-service/src/grpc/deep-struct.integration-spec.ts apps/session-service/src/grpc/grpc-server.deep-struct.integration-spec.ts
rename apps/session-service/src/grpc/health-and-reflection.integration-spec.ts apps/session-service/src/grpc/grpc-server.health-and-reflection.integration-spec.ts
rename apps/session-service/src/grpc/readme-grpc-commands.integration-spec.ts apps/session-service/src/grpc/grpc-server.readme-commands.integration-spec.ts
rename apps/session-service/src/grpc/request-id.integration-spec.ts apps/session-service/src/grpc/unary-wrapper.request-id.integration-spec.ts
rename apps/session-service/src/grpc/session-feed.integration-spec.ts apps/session-service/src/grpc/feed-handlers.integration-spec.ts
rename apps/session-service/src/grpc/session-rpcs.integration-spec.ts apps/session-service/src/grpc/session-handlers.integration-spec.ts
rename apps/session-service/src/grpc/list-paging.integration-spec.ts apps/session-service/src/grpc/session-handlers.list-paging.integration-spec.ts
rename apps/session-service/src/grpc/touch-sessions.integration-spec.ts apps/session-service/src/grpc/session-handlers.touch-sessions.integration-spec.ts
rename apps/session-service/src/grpc/user-data-caps.integration-spec.ts apps/session-service/src/grpc/session-handlers.user-data-caps.integration-spec.ts
rename apps/session-service/src/grpc/session-limit.integration-spec.ts apps/session-service/src/grpc/session-handlers.session-limit.integration-spec.ts
rename apps/session-service/src/grpc/sign-in-features.integration-spec.ts apps/session-service/src/grpc/session-handlers.sign-in.integration-spec.ts
rename apps/session-service/src/observability/metrics-server.spec.ts apps/session-service/src/observability/metrics.endpoint.spec.ts
rename apps/session-service/src/sweeper/sweeper-backoff.spec.ts apps/session-service/src/sweeper/sweeper.backoff.spec.ts

# accounts service
rename apps/accounts-service/src/grpc/accounts-rpcs.integration-spec.ts apps/accounts-service/src/grpc/accounts-handlers.integration-spec.ts
rename apps/accounts-service/src/grpc/sign-in-throttle.integration-spec.ts apps/accounts-service/src/grpc/accounts-handlers.sign-in-throttle.integration-spec.ts

# libs
rename libs/config/src/config.spec.ts libs/config/src/session-service-config.spec.ts
rename libs/config/src/gateway-service-url.spec.ts libs/config/src/gateway-config.service-url.spec.ts
rename libs/config/src/gateway-session-cache.spec.ts libs/config/src/gateway-config.session-cache.spec.ts
rename libs/react-session/src/entry-points.spec.ts libs/react-session/src/index.entry-points.spec.ts
rename libs/react-session/src/session-sync.spec.tsx libs/react-session/src/session-provider.sync.spec.tsx
rename libs/session-client/src/max-authentication-age.integration-spec.ts libs/session-client/src/authentication-age.integration-spec.ts
rename libs/testing/src/embedded-db-id-lookup.integration-spec.ts libs/testing/src/embedded-db.id-lookup.integration-spec.ts
rename libs/testing/src/embedded-db-string-pushdown.integration-spec.ts libs/testing/src/embedded-db.string-pushdown.integration-spec.ts

git add "$ALLOW_LIST"
