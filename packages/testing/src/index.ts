// What tests and benchmarks share. The Temporal test environment is '@social-pulse/testing/temporal';
// the event fixtures alone (no platform settings read) are '@social-pulse/testing/fixtures'.
export { platform, type Platform } from './platform';
export { freePlatformPorts, freePort, freePortRange } from './ports';
export { startAppProcess, waitForHttp, type AppProcess, type AppProcessOptions } from './app-process';
export { startWorker } from './worker';
export { startApi } from './api';
export { startCollector, waitReady, type CollectorProcess } from './collector';
export { startChdbServer, stopChdbServer, type ChdbServerProcess } from './chdb-server';
export { startRedisServer, type RedisServerProcess } from './redis-server';
export { startTcpProxy, type TcpProxy } from './tcp-proxy';
export * from './fixtures';
export { runPulse, runPulseAsync, type PulseRun } from './pulse-cli';
export {
  countEventIdsInKafka,
  endOffsets,
  eventIdOf,
  partitionsBehind,
  readTopics,
  reconcile,
  type EventIdCounts,
  type PartitionOffsets,
  type ReadOptions,
  type Reconciliation,
  type TopicReader,
} from './kafka-read-back';
export {
  checkAdRollups,
  checkEngagementRollups,
  checkSessionRollups,
  countRunningQueries,
  type RollupCheck,
} from './clickhouse';
export { explainedReads, type ExplainedRead, type IndexAnalysis, type PartsAndGranules } from './explain-reads';
export { buildSdk, chromiumPath, launchChromium, sdkBrowserScript, serveSdkPage, urlOf } from './browser';
export {
  adsApiTotals,
  committedFunnelCounts,
  funnelCounts,
  postAdFunnel,
  PHONE_USER_AGENT,
  scriptedAdFunnel,
  type AdSegment,
  type AdTotals,
  type ScriptedAdFunnel,
} from './ad-funnel';
