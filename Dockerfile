# MCR Bot image. README "Deploy" says how to run it; test/deploy/ checks this file and
# does what it does (npm pack → npm ci --omit=dev → this CMD and ENV) without a container runtime.

# 1. Production dependencies only. better-sqlite3 compiles from source when no prebuilt
#    binary fits, so this stage has the toolchain; the image below does not.
FROM node:20-bookworm-slim AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# 2. The files the bot runs from: exactly what `npm pack` packs (package.json "files"), so no
#    test, bench data or local .env can reach the image even if .dockerignore misses one.
FROM node:20-bookworm-slim AS files
WORKDIR /src
COPY . .
RUN npm pack --silent --pack-destination /tmp \
 && mkdir /app \
 && tar -xzf /tmp/mcr-bot-*.tgz -C /app --strip-components=1

# 3. The image: Node 20 and the two folders above, owned by root and read-only to the bot.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_URL=file:/data/mcr.sqlite
WORKDIR /app
COPY --from=files /app ./
COPY --from=deps /app/node_modules ./node_modules
# The bundle bin/start.js runs the bot from (node_modules/.cache/mcr-bot), made now: the image's
# files are read-only to the bot, and a start then loads plain JavaScript (README, Speed).
RUN node bin/start.js --build
# The SQLite file lives on a volume (unused with DATABASE_URL=postgres://…).
RUN mkdir /data && chown node:node /data
VOLUME /data
# The node image's unprivileged user (uid 1000).
USER node
EXPOSE 3000
# Alive and the database writable. No curl in a slim image: Node's own fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# On SIGTERM the bot stops taking work, finishes requests in flight, stops the scheduler and
# closes the database (src/main.ts), well inside Docker's 10 s before SIGKILL.
STOPSIGNAL SIGTERM
# Node itself is PID 1 (not npm, which does not pass signals on). As npm start: bin/start.js
# runs the bundle made above, with npm start's 1 GB heap limit (README, Speed).
CMD ["node", "--max-old-space-size=1024", "bin/start.js"]
