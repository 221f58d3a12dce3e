# Paystead API and worker image. The API is the default command; the worker service in docker-compose.yml
# overrides it with `node --max-old-space-size=96 dist/worker/main.js` (see devstack/node-args.ts).

# Node 24, the active LTS, in both stages (.ci/run tests on the same major).
# Compiles the TypeScript: the image runs plain JavaScript (tsx would cost each process about 55 MiB).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:24-bookworm-slim
ENV NODE_ENV=production
# Fewer malloc arenas: the worker's Rust and libuv threads otherwise each keep their own (measured: about
# 60 MiB less resident memory for a worker with 1,000 open orders).
ENV MALLOC_ARENA_MAX=2
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# Code stays root-owned: the unprivileged runtime user can read it but not change it.
COPY --from=build /app/dist ./dist

USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
