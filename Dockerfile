# syntax=docker/dockerfile:1
# ChurchHub Booking, the product alone (no demo pages, no Cal.com sandbox); see docs/deploying.md.
#   docker build -t churchhub-booking .
#   docker run --env-file .env -p 127.0.0.1:3000:3000 -v churchhub-data:/data churchhub-booking

# Build stage: every dependency, the compiled server and the widget bundle, then the build tools go.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# Run stage: Node, the runtime dependencies and dist/ only, owned by root and run by the
# unprivileged `node` user, which can write nowhere but /data (PGlite's files when there is no
# DATABASE_URL).
FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server/main.js"]
