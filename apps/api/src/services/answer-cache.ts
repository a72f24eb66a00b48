import { Injectable } from '@nestjs/common';
import { createLogger } from '@social-pulse/observability';
import { answerEnvelope, type AnswerEnvelope, type AnswerSnapshot } from '@social-pulse/shared';
import { RedisRepository, type AnswerKey } from '../repositories/redis.repository';
import { apiMetrics } from './api.metrics';

const logger = createLogger('api');

/** How long an answer is cached, and the age past which it is stale. */
export interface CachePolicy {
  ttlSeconds: number;
  staleAfterMs: number;
}

/**
 * An answer whose data_time is when ClickHouse was read is stale once it outlived its TTL; 5 s more
 * allow for the query's own time, which the read time precedes.
 */
export const cachePolicy = (ttlSeconds: number): CachePolicy => ({
  ttlSeconds,
  staleAfterMs: ttlSeconds * 1000 + 5_000,
});

/**
 * The tiered cache of answers computed on request: Redis first; on a miss (or Redis failing) the
 * answer is computed from ClickHouse and written to Redis for the policy's TTL. Concurrent misses of
 * one key share one computation, so an expiring hot key sends one query to ClickHouse, not one per
 * waiting dashboard.
 */
@Injectable()
export class AnswerCache {
  private readonly pending = new Map<AnswerKey, Promise<AnswerSnapshot<unknown>>>();

  constructor(private readonly redis: RedisRepository) {}

  async answer<T>(
    key: AnswerKey,
    policy: CachePolicy,
    compute: () => Promise<AnswerSnapshot<T>>,
  ): Promise<AnswerEnvelope<T>> {
    const cached = await this.redis.getAnswer<T>(key).catch(() => null);
    if (cached) {
      apiMetrics.cacheLookups.inc({ result: 'hit' });
      return answerEnvelope(cached, { source: 'redis', staleAfterMs: policy.staleAfterMs });
    }
    apiMetrics.cacheLookups.inc({ result: 'miss' });
    const snapshot = await this.computeOnce(key, policy, compute);
    return answerEnvelope(snapshot, { source: 'clickhouse', staleAfterMs: policy.staleAfterMs });
  }

  private computeOnce<T>(
    key: AnswerKey,
    policy: CachePolicy,
    compute: () => Promise<AnswerSnapshot<T>>,
  ): Promise<AnswerSnapshot<T>> {
    const running = this.pending.get(key) as Promise<AnswerSnapshot<T>> | undefined;
    if (running) return running;
    const computing = compute()
      .then(async (snapshot) => {
        await this.redis
          .setAnswer(key, snapshot, policy.ttlSeconds)
          .catch((error: Error) => logger.warn({ error: error.message, key }, 'could not cache an answer'));
        return snapshot;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, computing);
    return computing;
  }
}
