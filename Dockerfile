# Paystead API and worker image. The API is the default command; the worker service in docker-compose.yml
# overrides it with `node --max-old-space-size=96 --import tsx worker/main.ts` (see devstack/node-args.ts). TypeScript runs through tsx (a runtime dependency).
FROM node:20-bookworm-slim

ENV NODE_ENV=production
# Fewer malloc arenas: the worker's Rust and libuv threads otherwise each keep their own (measured: about
# 60 MiB less resident memory for a worker with 1,000 open orders).
ENV MALLOC_ARENA_MAX=2
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# Source stays root-owned: the unprivileged runtime user can read it but not change it.
COPY . .

USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "api/main.ts"]
