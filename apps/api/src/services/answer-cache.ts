import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { createLogger } from '@social-pulse/observability';
import { PROBLEM_TYPES, ProblemException } from '@social-pulse/observability/nest';
import { answerEnvelope, type AnswerEnvelope, type AnswerSnapshot } from '@social-pulse/shared';
import { API_CONFIG, type ApiConfig } from '../config';
import { RedisRepository, type AnswerKey } from '../repositories/redis.repository';
import { apiMetrics } from './api.metrics';
import { DependencyError, DependencyGuard } from './dependency-guard';

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

/** The API's two dependencies, each behind a timeout and a circuit breaker (dependency-guard.ts). */
@Injectable()
export class DependencyGuards {
  readonly redis: DependencyGuard;
  readonly clickhouse: DependencyGuard;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    const breaker = { failuresToOpen: config.DEPENDENCY_FAILURES_TO_OPEN, openMs: config.DEPENDENCY_OPEN_MS };
    this.redis = new DependencyGuard('redis', { timeoutMs: config.REDIS_TIMEOUT_MS, ...breaker });
    this.clickhouse = new DependencyGuard('clickhouse', { timeoutMs: config.CLICKHOUSE_TIMEOUT_MS, ...breaker });
  }
}

/**
 * The tiered cache of answers: Redis first; on a miss (or Redis failing) the answer is computed from
 * ClickHouse and written to Redis for the policy's TTL. Concurrent misses of one key share one
 * computation, so an expiring hot key sends one query to ClickHouse, not one per waiting dashboard.
 *
 * When a dependency is down or hung, its guard bounds the wait: Redis failing → the answer from
 * ClickHouse; ClickHouse failing → the answer's last good copy from Redis, marked stale, while its
 * data is at most ANSWER_MAX_STALE_SECONDS old; otherwise 503 naming what failed. Never a hang.
 */
@Injectable()
export class AnswerCache {
  private readonly pending = new Map<AnswerKey, Promise<AnswerSnapshot<unknown>>>();

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly redis: RedisRepository,
    private readonly guards: DependencyGuards,
  ) {}

  async answer<T>(
    key: AnswerKey,
    policy: CachePolicy,
    compute: () => Promise<AnswerSnapshot<T>>,
  ): Promise<AnswerEnvelope<T>> {
    const cached = await this.guards.redis.call(() => this.redis.getAnswer<T>(key)).catch(() => null);
    if (cached) {
      apiMetrics.cacheLookups.inc({ result: 'hit' });
      return answerEnvelope(cached, { source: 'redis', staleAfterMs: policy.staleAfterMs });
    }
    apiMetrics.cacheLookups.inc({ result: 'miss' });
    try {
      const snapshot = await this.computeOnce(key, policy, compute);
      return answerEnvelope(snapshot, { source: 'clickhouse', staleAfterMs: policy.staleAfterMs });
    } catch (error) {
      if (!(error instanceof DependencyError)) throw error;
      return this.lastGood(key, policy, error);
    }
  }

  /** The last good copy, marked stale, when it is young enough; else 503 with what failed. */
  private async lastGood<T>(key: AnswerKey, policy: CachePolicy, failure: Error): Promise<AnswerEnvelope<T>> {
    const copy = await this.guards.redis
      .call(() => this.redis.getLastGoodAnswer<T>(key))
      .catch((error: Error) => {
        throw unavailable([failure, error], this.retryAfterSeconds);
      });
    const maxAgeMs = this.config.ANSWER_MAX_STALE_SECONDS * 1000;
    const envelope = copy && answerEnvelope(copy, { source: 'redis', staleAfterMs: policy.staleAfterMs });
    if (!envelope || envelope.age_ms === null || envelope.age_ms > maxAgeMs) {
      const none = copy
        ? `the last good answer is older than ${this.config.ANSWER_MAX_STALE_SECONDS} s`
        : 'no last good answer';
      throw unavailable([failure, new Error(none)], this.retryAfterSeconds);
    }
    apiMetrics.staleAnswers.inc();
    return { ...envelope, stale: true };
  }

  /** A failed dependency's circuit stays open this long: asking again sooner gets the same 503. */
  private get retryAfterSeconds(): number {
    return Math.ceil(this.config.DEPENDENCY_OPEN_MS / 1000);
  }

  private computeOnce<T>(
    key: AnswerKey,
    policy: CachePolicy,
    compute: () => Promise<AnswerSnapshot<T>>,
  ): Promise<AnswerSnapshot<T>> {
    const running = this.pending.get(key) as Promise<AnswerSnapshot<T>> | undefined;
    if (running) return running;
    const computing = this.guards.clickhouse
      .call(compute)
      .then(async (snapshot) => {
        await this.guards.redis
          .call(() => this.redis.setAnswer(key, snapshot, policy.ttlSeconds))
          .catch((error: Error) => logger.warn({ error: error.message, key }, 'could not cache an answer'));
        return snapshot;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, computing);
    return computing;
  }
}

/**
 * 503 problem with the failures that left no answer, e.g. "clickhouse: no answer within 3000 ms; no last
 * good answer", the dependencies that failed and why (never their own messages: they may name hosts).
 */
function unavailable(failures: Error[], retryAfterSeconds: number): ProblemException {
  const reason = failures.map((failure) => failure.message).join('; ');
  const dependencyFailures = failures.filter((f): f is DependencyError => f instanceof DependencyError);
  logger.warn({ reason, details: dependencyFailures.map((f) => f.detail).filter(Boolean) }, 'no answer to serve');
  return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, `the answer cannot be served now: ${reason}`, {
    type: PROBLEM_TYPES.unavailable,
    extensions: {
      dependencies: dependencyFailures.map((f) => f.dependency),
      reasons: dependencyFailures.map((f) => ({ dependency: f.dependency, reason: f.reason })),
    },
    retryAfterSeconds,
  });
}
