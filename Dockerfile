# One image for the Node apps (collector, api, worker); docker-compose.yml picks the entry.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps apps
COPY packages packages
COPY workflows workflows
COPY activities activities
COPY sdk sdk
COPY tools tools
COPY tsconfig.json versions.json ./
# The worker deploys this jar (built by `mvn -f flink/pom.xml package` before `docker build`).
COPY flink/target/social-pulse-jobs.jar flink/target/social-pulse-jobs.jar
# Dev dependencies included: the apps run from TypeScript through @swc-node/register.
RUN npm ci
# The API serves the dashboard page at /dashboard from its built bundle.
RUN npm run build -w @social-pulse/dashboard
ENV NODE_ENV=production
USER node
