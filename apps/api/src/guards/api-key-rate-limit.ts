import { Inject, Injectable } from '@nestjs/common';
import { TokenBuckets } from '@social-pulse/observability';
import { rateLimitedProblem } from '@social-pulse/observability/nest';
import { API_CONFIG, type ApiConfig } from '../config';

/**
 * A token bucket per API key: API_KEY_RATE_LIMIT requests a second, bursting to API_KEY_RATE_BURST,
 * in this process's memory (each API process allows the rate). One provider, so every controller's
 * guard takes from the same buckets.
 */
@Injectable()
export class ApiKeyRateLimit {
  private readonly buckets: TokenBuckets;
  private readonly rate: number;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    this.rate = config.API_KEY_RATE_LIMIT;
    this.buckets = new TokenBuckets(config.API_KEY_RATE_LIMIT, config.API_KEY_RATE_BURST);
  }

  /** Takes a token for the key (by its name, never the key itself); throws 429 with Retry-After if none is left. */
  take(keyName: string): void {
    const wait = this.buckets.take(keyName);
    if (wait > 0) {
      throw rateLimitedProblem(
        wait,
        `rate limit of ${this.rate} requests per second for this API key exceeded; retry in ${wait} s`,
      );
    }
  }
}
