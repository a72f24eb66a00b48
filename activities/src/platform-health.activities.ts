import Redis from 'ioredis';
import { createKafka } from '@social-pulse/kafka';
import { logLevel } from 'kafkajs';

export interface PlatformHealthDeps {
  kafkaBrokers: string[];
  redisUrl: string;
  flinkRestUrl: string;
}

export interface ComponentHealth {
  component: string;
  healthy: boolean;
  detail: string;
}

/** Activities that look at each service the way an operator would, each on its own. */
export function createPlatformHealthActivities(deps: PlatformHealthDeps) {
  return {
    /** Counts the brokers that answer and the topics they hold. */
    async checkKafka(): Promise<ComponentHealth> {
      const admin = createKafka('worker', deps.kafkaBrokers, { logLevel: logLevel.NOTHING }).admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        const topics = await admin.listTopics();
        return {
          component: 'kafka',
          healthy: true,
          detail: `${cluster.brokers.length} brokers, ${topics.length} topics`,
        };
      } catch (error) {
        return { component: 'kafka', healthy: false, detail: (error as Error).message };
      } finally {
        await admin.disconnect();
      }
    },

    /** A PING round trip. */
    async checkRedis(): Promise<ComponentHealth> {
      const redis = new Redis(deps.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
      redis.on('error', () => undefined);
      try {
        await redis.connect();
        return { component: 'redis', healthy: (await redis.ping()) === 'PONG', detail: 'PONG' };
      } catch (error) {
        return { component: 'redis', healthy: false, detail: (error as Error).message };
      } finally {
        redis.disconnect();
      }
    },

    /** The JobManager's overview: TaskManagers and free slots. */
    async checkFlink(): Promise<ComponentHealth> {
      try {
        const res = await fetch(`${deps.flinkRestUrl}/overview`, { signal: AbortSignal.timeout(5000) });
        if (!res.ok) return { component: 'flink', healthy: false, detail: `HTTP ${res.status}` };
        const overview = (await res.json()) as {
          taskmanagers: number;
          'slots-available': number;
          'jobs-running': number;
        };
        return {
          component: 'flink',
          healthy: overview.taskmanagers > 0,
          detail: `${overview.taskmanagers} taskmanagers, ${overview['slots-available']} free slots, ${overview['jobs-running']} jobs running`,
        };
      } catch (error) {
        return { component: 'flink', healthy: false, detail: (error as Error).message };
      }
    },
  };
}

export type PlatformHealthActivities = ReturnType<typeof createPlatformHealthActivities>;
