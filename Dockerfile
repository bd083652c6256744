# Vigil's image: `vigil serve` on Node 20, production settings, data in /data.
# Build: docker build -t vigil .   Run: see README.md "Docker and Compose".
# Two stages: the first installs everything and compiles TypeScript (npm ci runs the `prepare`
# hook, scripts/prepare.js); the second installs only runtime dependencies (its prepare step
# finds no src/ and does nothing) and takes the compiled dist/ from the first.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm ci --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    DB_NAME=/data/vigil.sqlite
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY --from=build /app/dist ./dist
# The unprivileged `node` user of the base image owns only the data folder.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8000
# No curl in the slim image: Node's fetch asks the status endpoint (200 when the database answers).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/api/v3/status/').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/vigil.js"]
CMD ["serve"]
