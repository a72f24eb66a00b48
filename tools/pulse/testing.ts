// Entry for '@social-pulse/pulse/testing': the pieces of the platform CLI that tests and benchmarks
// use (where things are, the settings `pulse up` reads, starting services of their own), without
// loading the CLI itself (the package's main runs it).
export { codeIdentity, type CodeIdentity } from './src/code-identity';
export { cacheDir, repoRoot, stateDir } from './src/paths';
export { appEnvironment, clickhouseUrl, expectedInstallation, kafkaBrokers } from './src/platform';
export { isAlive, isListening, isPortFree, sleep, waitUntil } from './src/processes';
export { loadSettings, type Settings } from './src/settings';
export { readState, type PlatformState } from './src/state';
export { installKafka } from './src/install/kafka';
export { installTemporal } from './src/install/temporal';
export type { Installation } from './src/install';
export { clickhouseService } from './src/services/clickhouse';
export { collectorStatesAtLb } from './src/services/collector-lb';
export { httpOk } from './src/services/health';
export { bootstrapServers, brokerPorts, kafkaServices, type KafkaClusterOptions } from './src/services/kafka';
export type { ServiceSpec } from './src/services/service';
export { Supervisor } from './src/supervisor';
export { ensureTopics, waitForLeaders } from '@social-pulse/activities/kafka-topics';
export { versions, type Versions } from './src/versions';
