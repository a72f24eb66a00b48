import { uuidv7 } from '../../packages/events/src/uuidv7';
import { loadAnonymousId } from './identity';
import { sendBatch } from './transport';
import type { BatchAnswer, EventType, OutgoingEvent, PulseOptions } from './types';

const DEFAULTS = { flushAt: 20, flushIntervalMs: 2000, maxQueueSize: 1000 };

/**
 * Collects events and sends them in batches: when `flushAt` wait, every `flushIntervalMs`, or
 * on `flush()`. Each event gets its id once, so a batch sent again is never counted twice.
 */
export class PulseClient {
  private readonly options: Required<PulseOptions>;
  private queue: OutgoingEvent[] = [];
  private timer?: ReturnType<typeof setTimeout>;
  private sending?: Promise<void>;
  private userId?: string;
  private readonly anonymousId = loadAnonymousId();
  /** Counters a host page can read for its own diagnostics. */
  readonly stats = { sent: 0, rejected: 0, dropped: 0 };
  onRejected?: (rejected: BatchAnswer['rejected']) => void;

  constructor(options: PulseOptions) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Records an event; returns its event_id. */
  track(type: EventType, properties: Record<string, unknown> = {}): string {
    const event: OutgoingEvent = {
      event_id: uuidv7(),
      event_type: type,
      schema_version: 1,
      user_id: this.userId,
      anonymous_id: this.anonymousId,
      client_ts: new Date().toISOString(),
      context: pageContext(),
      properties,
    };
    this.queue.push(event);
    if (this.queue.length > this.options.maxQueueSize) {
      this.queue.shift();
      this.stats.dropped += 1;
    }
    if (this.queue.length >= this.options.flushAt) void this.flush();
    else this.schedule();
    return event.event_id;
  }

  /** Ties later events to a signed-in user. */
  identify(userId: string): void {
    this.userId = userId;
  }

  /** Sends what waits now; resolves when the collector answered (or the attempt failed). */
  async flush(): Promise<void> {
    if (this.sending) return this.sending.then(() => this.flush());
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const batch = this.queue.splice(0, 500);
    this.sending = this.deliver(batch).finally(() => (this.sending = undefined));
    return this.sending;
  }

  private async deliver(batch: OutgoingEvent[]): Promise<void> {
    const result = await sendBatch(this.options.endpoint, this.options.writeKey, batch);
    if (result.kind === 'retry') {
      // Back to the front, same ids: the next attempt is the same events, not new ones.
      this.queue.unshift(...batch);
      this.schedule(result.afterMs);
      return;
    }
    if (result.kind === 'refused') {
      this.stats.dropped += batch.length;
      return;
    }
    this.stats.sent += result.answer.accepted;
    this.stats.rejected += result.answer.rejected.length;
    if (result.answer.rejected.length) this.onRejected?.(result.answer.rejected);
    if (this.queue.length) this.schedule();
  }

  private schedule(delayMs = this.options.flushIntervalMs): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
  }
}

function pageContext(): Record<string, unknown> {
  const { location, document, navigator, screen } = globalThis as unknown as Window;
  if (!location) return {};
  return {
    page: { url: location.href, path: location.pathname, title: document?.title },
    referrer: document?.referrer || undefined,
    locale: navigator?.language,
    user_agent: navigator?.userAgent,
    screen: screen ? { width: screen.width, height: screen.height } : undefined,
  };
}
