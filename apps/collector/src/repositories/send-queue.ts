/** A request's records, their size, and its answer. */
interface Waiting<R> {
  records: R[];
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class NotConnectedError extends Error {
  constructor() {
    super('the Kafka producer is reconnecting');
    this.name = 'NotConnectedError';
  }
}

/**
 * Sends requests' records one send at a time; requests that arrive while a send is out wait and
 * then go together in the next send (group commit: kafkajs pays per send and per partition batch,
 * so many small sends would cap throughput).
 *
 * One at a time because a failed send may have been written: kafkajs hands an idempotent
 * producer's sequence numbers back when a send fails, even when the broker wrote it and only its
 * answer was lost. A second send waiting behind it would take the same numbers, and if its record
 * count matched, the broker would acknowledge it as a duplicate without writing it (acknowledged
 * events lost: the collector's Kafka outage test caught 8). With nothing else out, kafkajs's own
 * retries resend the same records under the same numbers, which the broker deduplicates correctly,
 * and `send` can replace the producer after a failure before the next send starts.
 */
export class SendQueue<R> {
  private readonly waiting: Waiting<R>[] = [];
  private sending = false;

  /**
   * @param send sends the records; the next send starts only once it settled
   * @param canSend whether a send may start (the producer is connected); waiting requests are
   *   refused with a NotConnectedError when it may not
   * @param maxGroupBytes the most bytes one send groups; a bigger request goes alone
   */
  constructor(
    private readonly send: (records: R[]) => Promise<void>,
    private readonly canSend: () => boolean,
    private readonly maxGroupBytes: number,
  ) {}

  /** Resolves once the records' send succeeded; rejects with its error otherwise. */
  enqueue(records: R[], bytes: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ records, bytes, resolve, reject });
      this.drain();
    });
  }

  /** Requests waiting for a send. */
  get length(): number {
    return this.waiting.length;
  }

  private drain(): void {
    if (this.sending || this.waiting.length === 0) return;
    if (!this.canSend()) {
      for (const entry of this.waiting.splice(0)) entry.reject(new NotConnectedError());
      return;
    }
    const group = [this.waiting.shift()!];
    let bytes = group[0].bytes;
    while (this.waiting.length > 0 && bytes + this.waiting[0].bytes <= this.maxGroupBytes) {
      bytes += this.waiting[0].bytes;
      group.push(this.waiting.shift()!);
    }
    this.sending = true;
    this.send(group.flatMap((entry) => entry.records))
      .then(
        () => group.forEach((entry) => entry.resolve()),
        (error: unknown) => group.forEach((entry) => entry.reject(error)),
      )
      .finally(() => {
        this.sending = false;
        this.drain();
      });
  }
}
