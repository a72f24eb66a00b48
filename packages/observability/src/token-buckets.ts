/**
 * Token buckets by name (a write key, an API key, a client IP), kept in this process's memory: each holds up
 * to `burst` tokens and refills at `ratePerSecond`. Several processes of a service each allow the rate.
 *
 * At most `maxBuckets` are kept, least recently used first out (a Map keeps insertion order, and a
 * bucket is moved to the end whenever it is used). Many new names therefore push out only buckets
 * nobody used for a while, never all of them: a client cannot reset everyone's limit by rotating
 * addresses. A bucket left alone for burst/rate seconds is full anyway, so evicting it loses nothing.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number = ratePerSecond * 2,
    private readonly maxBuckets = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token; answers 0 when one was there, else the seconds until one will be. */
  take(name: string): number {
    const now = this.now();
    let bucket = this.buckets.get(name);
    if (bucket) {
      // Most recently used goes last.
      this.buckets.delete(name);
    } else {
      bucket = { tokens: this.burst, updated: now };
      if (this.buckets.size >= this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value!);
    }
    this.buckets.set(name, bucket);
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updated) / 1000) * this.ratePerSecond);
    bucket.updated = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond));
  }
}
