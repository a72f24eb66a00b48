/**
 * Token buckets by name (a write key, a client IP), kept in this process's memory: each holds up
 * to `burst` tokens and refills at `ratePerSecond`. Several collector processes each allow the rate.
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
    if (!bucket) {
      if (this.buckets.size >= this.maxBuckets) this.evictFull(now);
      bucket = { tokens: this.burst, updated: now };
      this.buckets.set(name, bucket);
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updated) / 1000) * this.ratePerSecond);
    bucket.updated = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond));
  }

  /** Buckets that refilled completely hold no information; drop them (all of them if none did). */
  private evictFull(now: number): void {
    const fullAfterMs = (this.burst / this.ratePerSecond) * 1000;
    for (const [name, bucket] of this.buckets) if (now - bucket.updated >= fullAfterMs) this.buckets.delete(name);
    if (this.buckets.size >= this.maxBuckets) this.buckets.clear();
  }
}
