# Images of the session service, the accounts service and the gateway: one build stage for
# all, one runtime stage per app, chosen with --target. Build context: the repository root
# (docker compose build, or docker build --target session-service .).

FROM node:24-bookworm-slim AS builder
WORKDIR /workspace
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Task dependencies are skipped on purpose in the app builds below: they include the
# embedded development database (a Go build) that no image contains; the proto types
# are the only generated input the bundles need.
RUN npx nx run proto:codegen

FROM builder AS session-service-build
RUN npx nx run session-service:build --excludeTaskDependencies

FROM builder AS accounts-service-build
RUN npx nx run accounts-service:build --excludeTaskDependencies

FROM builder AS gateway-build
RUN npx nx run gateway:build --excludeTaskDependencies \
 && npx nx run web:build --excludeTaskDependencies

FROM node:24-bookworm-slim AS session-service
WORKDIR /app
# Only what the bundle imports at run time, pinned by the package.json and
# lock file that the esbuild build generates next to main.js.
COPY --from=session-service-build /workspace/dist/apps/session-service/package.json /workspace/dist/apps/session-service/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=session-service-build /workspace/dist/apps/session-service/ ./
COPY tools/scripts/grpc-health-probe.mjs ./
USER node
EXPOSE 50051 9464
# `node .` runs package.json "main", whatever the bundle's file name.
# V8 heap flags: deploy/node-flags.json (docs/runtime-memory.md).
CMD ["node", "--max-semi-space-size=8", "--max-old-space-size=512", "."]

# Sign-up, sign-in and password changes (gRPC accounts.v1); calls the session service.
FROM node:24-bookworm-slim AS accounts-service
WORKDIR /app
COPY --from=accounts-service-build /workspace/dist/apps/accounts-service/package.json /workspace/dist/apps/accounts-service/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=accounts-service-build /workspace/dist/apps/accounts-service/ ./
COPY tools/scripts/grpc-health-probe.mjs ./
USER node
EXPOSE 50061 9466
CMD ["node", "."]

# The REST gateway plus the built web app it serves.
FROM node:24-bookworm-slim AS gateway
WORKDIR /app
COPY --from=gateway-build /workspace/dist/apps/gateway/package.json /workspace/dist/apps/gateway/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=gateway-build /workspace/dist/apps/gateway/ ./
COPY --from=gateway-build /workspace/dist/apps/web/ ./web/
# Where the image keeps the web app; part of the image layout, not deployment config.
ENV WEB_ROOT=/app/web
USER node
EXPOSE 3000
# V8 heap flags: deploy/node-flags.json (docs/runtime-memory.md).
CMD ["node", "--max-semi-space-size=8", "--max-old-space-size=512", "."]
