import { say } from '../console';
import { versions } from '../versions';
import { installFlink } from './flink';
import { installKafka } from './kafka';
import { installRedis } from './redis';
import { installTemporal } from './temporal';

export interface Installation {
  kafkaLibDir: string;
  flinkHome: string;
  temporalBinary: string;
  redisBinary: string;
}

/**
 * Installs every external component once, in parallel, into the per-user cache.
 * Already installed ones cost a file check.
 */
export async function installAll(): Promise<Installation> {
  const started = Date.now();
  const timed = async <T extends { fresh: boolean }>(label: string, work: Promise<T>) => {
    const result = await work;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.fresh) say.ok(`installed ${label} (${seconds} s)`);
    return result;
  };
  say.step('checking installed components (first run downloads and builds them)…');
  const [kafka, flink, temporal, redis] = await Promise.all([
    timed(`Kafka ${versions.kafka.version}`, installKafka()),
    timed(`Flink ${versions.flink.version}`, installFlink()),
    timed(`Temporal CLI ${versions.temporal.cli}`, installTemporal()),
    timed('redis-server', installRedis()),
  ]);
  return {
    kafkaLibDir: kafka.libDir,
    flinkHome: flink.home,
    temporalBinary: temporal.binary,
    redisBinary: redis.binary,
  };
}
