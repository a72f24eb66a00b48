import { AnswerDataError } from '../dtos/answer-data-error';
import { apiMetrics } from './api.metrics';

export type Dependency = 'redis' | 'clickhouse';

/** A dependency that failed, timed out or whose circuit is open: the reason goes into a 503's body. */
export class DependencyError extends Error {
  constructor(
    readonly dependency: Dependency,
    readonly reason: 'timeout' | 'circuit-open' | 'error',
    message: string,
    /** The dependency's own error, for the log; never sent to clients (it may name hosts and ports). */
    readonly detail?: string,
  ) {
    super(`${dependency}: ${message}`);
  }
}

export interface DependencyGuardOptions {
  /** A call not settled by then fails with reason 'timeout' (the call itself is left to end on its own). */
  timeoutMs: number;
  /** Consecutive failures that open the circuit. */
  failuresToOpen: number;
  /** How long an open circuit fails calls at once; then calls go through again, and one failure reopens it. */
  openMs: number;
}

/**
 * Bounds every call to one dependency by a timeout and a circuit breaker, so a dependency that is
 * down or hung costs a request at most the timeout, and nothing once the circuit is open: the
 * client's patience is never the limit.
 */
export class DependencyGuard {
  private consecutiveFailures = 0;
  private openUntil = 0;

  constructor(
    readonly dependency: Dependency,
    private readonly options: DependencyGuardOptions,
    private readonly now: () => number = Date.now,
  ) {}

  get circuitOpen(): boolean {
    return this.now() < this.openUntil;
  }

  async call<T>(work: () => Promise<T>): Promise<T> {
    if (this.circuitOpen) {
      apiMetrics.dependencyFailures.inc({ dependency: this.dependency, reason: 'circuit-open' });
      throw new DependencyError(
        this.dependency,
        'circuit-open',
        `not asked for ${Math.ceil((this.openUntil - this.now()) / 1000)} s more after ${this.consecutiveFailures} failures in a row`,
      );
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DependencyError(this.dependency, 'timeout', `no answer within ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
    });
    try {
      const result = await Promise.race([work(), timeout]);
      this.consecutiveFailures = 0;
      return result;
    } catch (error) {
      if (error instanceof AnswerDataError) throw error; // the dependency answered: not its failure
      const failure =
        error instanceof DependencyError
          ? error
          : new DependencyError(this.dependency, 'error', 'failed', (error as Error).message);
      apiMetrics.dependencyFailures.inc({ dependency: this.dependency, reason: failure.reason });
      this.consecutiveFailures += 1;
      if (this.consecutiveFailures >= this.options.failuresToOpen) this.openUntil = this.now() + this.options.openMs;
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }
}
