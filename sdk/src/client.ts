import { SCHEMA_VERSION } from '@social-pulse/events';
import { createEventIds } from './event-id';
import { Identity } from './identity';
import { browserKeyValueStore } from './key-value-store';
import { planEviction } from './queue/eviction';
import { memoryQueueStore } from './queue/memory-store';
import { openQueueStore } from './queue/open-queue-store';
import { byId, type QueueStore, type StoredEvent } from './queue/queue-store';
import { retryDelayMs } from './retry-policy';
import { SessionTracker } from './session';
import { createTabLock } from './tab-lock';
import { BEACON_MAX_BYTES, batchBody, beaconBatch, sendBatch } from './transport';
import type {
  DropReason,
  EventType,
  OutgoingEvent,
  PulseOptions,
  PulseStats,
  RejectedEvent,
  UserTraits,
} from './types';

const DEFAULTS = {
  flushAt: 20,
  flushIntervalMs: 2000,
  maxQueueSize: 1000,
  maxQueueBytes: 1_000_000,
  maxBatchSize: 100,
  sessionTimeoutMs: 30 * 60_000,
  trackSessionStart: false,
  retryBaseMs: 1000,
  retryMaxMs: 60_000,
  now: () => Date.now(),
};

/** One event larger than this is dropped: it would never fit a beacon, and must not block the queue. */
export const MAX_EVENT_BYTES = 32 * 1024;
/** Keeps one request well under the collector's body limit. */
const MAX_BATCH_BYTES = 256 * 1024;

const byteLength = (text: string) => new TextEncoder().encode(text).length;

/**
 * Collects events into a persistent queue shared by the origin's tabs and sends them in
 * batches: when `flushAt` wait, every `flushIntervalMs`, on `flush()`, and by beacon when the
 * page is hidden. Each event is serialized once with its event_id, so every retry of it is
 * the same event and the pipeline counts it once.
 */
export class PulseClient {
  /** Counters a host page can read for its own diagnostics. */
  readonly stats: PulseStats = {
    sent: 0,
    rejected: 0,
    dropped: 0,
    dropReasons: { queue_full: 0, oversized: 0, refused: 0 },
    retries: 0,
    beacons: 0,
  };
  onRejected?: (rejected: RejectedEvent[]) => void;

  private readonly options: Required<PulseOptions>;
  private readonly identity: Identity;
  private readonly session: SessionTracker;
  private readonly withTabLock: ReturnType<typeof createTabLock>;
  private readonly store: Promise<QueueStore>;
  /** Tracked but not yet written to the store; written together, in one transaction. */
  private unsaved: StoredEvent[] = [];
  /** This tab's events not yet sent: what a beacon sends when the page is hidden. */
  private readonly mine = new Map<string, StoredEvent>();
  private readonly inFlight = new Set<string>();
  private saving: Promise<void> = Promise.resolve();
  private flushing?: Promise<void>;
  private nextFlush?: Promise<void>;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly nextEventId = createEventIds();
  private channel?: BroadcastChannel;
  private attempt = 0;
  /** While backing off: no sends before this time (wall clock), and no beacon on hide. */
  private retryAt = 0;

  constructor(options: PulseOptions) {
    this.options = { ...DEFAULTS, ...options };
    const kv = browserKeyValueStore();
    this.identity = new Identity(kv);
    this.session = new SessionTracker(kv, this.options.sessionTimeoutMs, this.options.now);
    this.withTabLock = createTabLock('flush', kv, () => Date.now());
    this.store = openQueueStore().catch(() => memoryQueueStore());
    // Events left by an earlier page or a closed tab go out soon after load.
    void this.store
      .then(async (store) => ((await store.list()).length ? this.schedule() : undefined))
      .catch(() => undefined);
    const w = globalThis as unknown as Partial<Window>;
    w.document?.addEventListener?.(
      'visibilitychange',
      () => w.document?.visibilityState === 'hidden' && this.sendOnHide(),
    );
    w.addEventListener?.('pagehide', () => this.sendOnHide());
    // Tabs tell each other what they sent, so no tab beacons an event another tab delivered.
    try {
      this.channel = new BroadcastChannel('social_pulse');
      this.channel.onmessage = (message: MessageEvent<{ sent?: string[] }>) => this.forget(message.data?.sent ?? []);
    } catch {
      /* no BroadcastChannel: a beacon may repeat an event, with the same event_id */
    }
    w.addEventListener?.('online', () => {
      this.retryAt = 0;
      void this.flush();
    });
  }

  /** Records an event; returns its event_id, or undefined when opted out or too large. */
  track(type: EventType, properties: Record<string, unknown> = {}): string | undefined {
    if (this.identity.optedOut) return undefined;
    const session = this.session.touch();
    if (session.started && this.options.trackSessionStart && type !== 'user.session_started') {
      this.enqueue('user.session_started', {}, session.id);
    }
    return this.enqueue(type, properties, session.id);
  }

  /** Records a page view; the page's URL, path and title travel in the event's context. */
  page(properties: Record<string, unknown> = {}): string | undefined {
    return this.track('user.page_viewed', properties);
  }

  /**
   * Ties later events to a signed-in user (until `reset`), and sends `user.identified`: the link
   * from this visitor's anonymous id, which stays, to the user, with what they told about
   * themselves. Returns its event_id, or undefined when opted out or too large.
   */
  identify(userId: string, traits: UserTraits = {}): string | undefined {
    this.identity.userId = userId;
    if (this.identity.optedOut) return undefined;
    // Not an interaction: it carries the session it happened in but neither starts nor extends one.
    return this.enqueue('user.identified', { traits }, this.session.current());
  }

  /** Logout: forgets the user, and starts a new anonymous id and a new session. */
  reset(): void {
    this.identity.userId = undefined;
    this.identity.newAnonymousId();
    this.session.end();
  }

  /** Stops collecting, here and in the origin's other tabs, and discards what waits. */
  optOut(): void {
    this.identity.optedOut = true;
    const ids = [...this.mine.keys()];
    this.forget(ids);
    void this.store
      .then(async (store) => store.remove((await store.list()).map((event) => event.id)))
      .catch(() => undefined);
  }

  optIn(): void {
    this.identity.optedOut = false;
  }

  get optedOut(): boolean {
    return this.identity.optedOut;
  }

  /** Sends what waits now; resolves when the collector answered or the attempt failed. */
  flush(): Promise<void> {
    if (this.flushing)
      return (this.nextFlush ??= this.flushing.then(() => ((this.nextFlush = undefined), this.flush())));
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.sendWaiting().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private enqueue(
    type: EventType,
    properties: Record<string, unknown>,
    sessionId: string | undefined,
  ): string | undefined {
    const now = this.options.now();
    const event: OutgoingEvent = {
      event_id: this.nextEventId(now),
      event_type: type,
      schema_version: SCHEMA_VERSION,
      user_id: this.identity.userId,
      anonymous_id: this.identity.anonymousId,
      session_id: sessionId,
      client_ts: new Date(now).toISOString(),
      context: pageContext(),
      properties,
    };
    let body: string;
    try {
      body = JSON.stringify(event);
    } catch {
      this.drop('oversized', 1); // circular properties: as unsendable as a huge event
      return undefined;
    }
    const bytes = byteLength(body);
    if (bytes > MAX_EVENT_BYTES) {
      this.drop('oversized', 1);
      return undefined;
    }
    const stored = { id: event.event_id, body, bytes };
    this.unsaved.push(stored);
    this.mine.set(stored.id, stored);
    void this.persist();
    // While backing off, a full batch waits for the retry instead of pressing a struggling collector.
    if (this.mine.size >= this.options.flushAt && Date.now() >= this.retryAt) void this.flush();
    else this.schedule();
    return event.event_id;
  }

  /** Writes tracked events to the store, then evicts the oldest beyond the bounds. */
  private persist(): Promise<void> {
    this.saving = this.saving
      .then(async () => {
        const batch = this.unsaved.splice(0);
        if (!batch.length) return;
        const store = await this.store;
        await store.add(batch);
        const evicted = planEviction(await store.list(), {
          maxEvents: this.options.maxQueueSize,
          maxBytes: this.options.maxQueueBytes,
        });
        if (!evicted.length) return;
        await store.remove(evicted);
        this.forget(evicted);
        this.channel?.postMessage({ sent: evicted });
        this.drop('queue_full', evicted.length);
      })
      .catch(() => undefined);
    return this.saving;
  }

  private async sendWaiting(): Promise<void> {
    await this.persist();
    const store = await this.store;
    const ran = await this.withTabLock(async () => {
      for (;;) {
        const batch = takeBatch(await store.list(), this.options.maxBatchSize);
        if (!batch.length) return;
        const ids = batch.map((event) => event.id);
        ids.forEach((id) => this.inFlight.add(id));
        const result = await sendBatch(
          this.options.endpoint,
          this.options.writeKey,
          batchBody(
            batch.map((e) => e.body),
            this.options.now(),
          ),
        ).finally(() => ids.forEach((id) => this.inFlight.delete(id)));
        if (result.kind === 'retry') {
          // The events stay in the store, ids and all: the next attempt sends the same events.
          this.attempt += 1;
          this.stats.retries += 1;
          const delay = retryDelayMs(this.attempt, result.retryAfterMs, {
            baseMs: this.options.retryBaseMs,
            maxMs: this.options.retryMaxMs,
          });
          this.retryAt = Date.now() + delay;
          this.schedule(delay, true);
          return;
        }
        this.attempt = 0;
        this.retryAt = 0;
        // Accepted, rejected or refused: none of them is sent again.
        await store.remove(ids);
        this.forget(ids);
        this.channel?.postMessage({ sent: ids });
        if (result.kind === 'refused') {
          this.drop('refused', ids.length);
          this.onRejected?.(ids.map((event_id, index) => ({ index, event_id, reason: `http_${result.status}` })));
          continue;
        }
        this.stats.sent += result.answer.accepted;
        this.stats.rejected += result.answer.rejected.length;
        if (result.answer.rejected.length) this.onRejected?.(result.answer.rejected);
      }
    });
    if (!ran) this.schedule(); // another tab is sending the shared queue; look again later
  }

  /**
   * The page may never come back: hand this tab's waiting events to the browser. Skipped while
   * backing off, since the collector is unreachable and the events are safer in storage.
   */
  private sendOnHide(): void {
    if (this.identity.optedOut || Date.now() < this.retryAt) return;
    let chunk: StoredEvent[] = [];
    let bytes = 0;
    const send = () => {
      if (!chunk.length) return;
      const ids = chunk.map((event) => event.id);
      const how = beaconBatch(
        this.options.endpoint,
        this.options.writeKey,
        batchBody(
          chunk.map((e) => e.body),
          this.options.now(),
        ),
      );
      // A keepalive fetch's fate is unknown: keep its events, a resend carries the same ids.
      if (how === 'beacon') {
        this.stats.beacons += 1;
        this.forget(ids);
        this.channel?.postMessage({ sent: ids });
        void this.saving
          .then(() => this.store)
          .then((store) => store.remove(ids))
          .catch(() => undefined);
      }
      chunk = [];
      bytes = 0;
    };
    for (const event of [...this.mine.values()].sort(byId)) {
      if (this.inFlight.has(event.id)) continue; // a keepalive fetch already carries it
      if (bytes + event.bytes > BEACON_MAX_BYTES - 100) send();
      chunk.push(event);
      bytes += event.bytes + 1;
    }
    send();
  }

  private forget(ids: string[]): void {
    const gone = new Set(ids);
    ids.forEach((id) => this.mine.delete(id));
    this.unsaved = this.unsaved.filter((event) => !gone.has(event.id));
  }

  private drop(reason: DropReason, count: number): void {
    this.stats.dropped += count;
    this.stats.dropReasons[reason] += count;
  }

  private schedule(delayMs = this.options.flushIntervalMs, replace = false): void {
    if (this.timer && !replace) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        void this.flush();
      },
      Math.max(delayMs, this.retryAt - Date.now()),
    );
  }
}

/** The oldest events that fit one request; the first always goes, so nothing blocks the queue. */
function takeBatch(oldestFirst: StoredEvent[], maxEvents: number): StoredEvent[] {
  let bytes = 0;
  const batch: StoredEvent[] = [];
  for (const event of oldestFirst) {
    if (batch.length >= maxEvents || (batch.length && bytes + event.bytes > MAX_BATCH_BYTES)) break;
    batch.push(event);
    bytes += event.bytes;
  }
  return batch;
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
