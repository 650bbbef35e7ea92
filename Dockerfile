# syntax=docker/dockerfile:1
# One image per service, all from one build stage. Multi-arch: build with
#   docker buildx build --platform linux/arm64,linux/amd64 --target gateway .
# `npm run build:services` is the same command CI runs to check these builds.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Toolchain for native add-ons (sqlite3, serialport) when no prebuilt binary fits the platform.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
COPY . .
RUN npm ci --no-audit --no-fund \
    && npm run build:services \
    && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PRINTFLEET_DATA_DIR=/data PRINTFLEET_LOG_FORMAT=json
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]

FROM runtime AS broker
EXPOSE 1883 9001
HEALTHCHECK --interval=15s --timeout=5s CMD node -e "require('net').connect(process.env.PRINTFLEET_MQTT_PORT||1883,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"
CMD ["node", "broker/dist/main.js"]

FROM runtime AS job-service
HEALTHCHECK --interval=15s --timeout=5s CMD node -e "process.exit(Date.now()-require('fs').statSync('/data/run/job-service.alive').mtimeMs<60000?0:1)"
CMD ["node", "services/job-service/dist/main.js"]

FROM runtime AS gateway
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PRINTFLEET_HTTP_PORT||8080)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "services/gateway/dist/main.js"]

FROM runtime AS printer-agent
# Serial ports belong to group dialout (gid 20 on Debian); compose adds it too.
USER root
RUN usermod -aG dialout node
USER node
HEALTHCHECK --interval=15s --timeout=5s CMD node -e "process.exit(Date.now()-require('fs').statSync('/data/run/printer-agent.alive').mtimeMs<60000?0:1)"
CMD ["node", "services/printer-agent/dist/main.js"]
