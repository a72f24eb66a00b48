/**
 * The canaries sent and not seen yet, per feature: what the canary's metrics are made of. A canary
 * is seen once (the first time the end of the path shows it) and given up after the timeout, so
 * the pending set stays bounded however long the pipeline is down. Times are the caller's clock, in
 * milliseconds.
 */
export class CanaryLedger {
  private readonly pending = new Map<string, Map<string, number>>();

  constructor(private readonly timeoutMs: number) {}

  /** A canary of `feature`, known by `marker`, was sent at `atMs`. */
  sent(feature: string, marker: string, atMs: number): void {
    this.of(feature).set(marker, atMs);
  }

  /** The latencies, in seconds, of the pending canaries that `visible` shows now; they are no longer pending. */
  seen(feature: string, visible: ReadonlySet<string>, atMs: number): number[] {
    const pending = this.of(feature);
    const latencies: number[] = [];
    for (const [marker, sentAt] of pending) {
      if (!visible.has(marker)) continue;
      latencies.push(Math.max(0, atMs - sentAt) / 1000);
      pending.delete(marker);
    }
    return latencies;
  }

  /** Gives up the canaries pending for longer than the timeout; how many. */
  expire(feature: string, nowMs: number): number {
    const pending = this.of(feature);
    let expired = 0;
    for (const [marker, sentAt] of pending) {
      if (nowMs - sentAt <= this.timeoutMs) continue;
      pending.delete(marker);
      expired++;
    }
    return expired;
  }

  /** Age in seconds of the oldest canary pending, 0 when none is. */
  oldestUnseenSeconds(feature: string, nowMs: number): number {
    let oldest = nowMs;
    for (const sentAt of this.of(feature).values()) oldest = Math.min(oldest, sentAt);
    return Math.max(0, nowMs - oldest) / 1000;
  }

  /** How many canaries of `feature` are pending. */
  pendingCount(feature: string): number {
    return this.of(feature).size;
  }

  private of(feature: string): Map<string, number> {
    let pending = this.pending.get(feature);
    if (!pending) this.pending.set(feature, (pending = new Map<string, number>()));
    return pending;
  }
}
