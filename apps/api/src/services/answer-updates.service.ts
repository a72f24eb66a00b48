import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createLogger } from '@social-pulse/observability';
import { ANSWER_UPDATES_CHANNEL } from '@social-pulse/shared';
import Redis from 'ioredis';

const logger = createLogger('api');

/** What a dashboard is told of a refreshed answer: which one, and the times that describe it. */
export interface AnswerUpdate {
  /** A pre-computed answer's name (PRECOMPUTED_ANSWERS), e.g. trending-1m. */
  answer: string;
  data_time: string | null;
  computed_at: string | null;
}

export interface AnswerUpdateListener {
  update(update: AnswerUpdate): void;
  /** The subscription was lost (false) or stands again (true): updates in between were missed. */
  live(live: boolean): void;
}

/** The outgoing port: the channel's messages as they arrive, and whether the subscription stands. */
export interface AnswerUpdateFeed {
  start(handlers: { message: (raw: string) => void; live: (live: boolean) => void }): void;
  stop(): Promise<void>;
}

export const ANSWER_UPDATE_FEED = Symbol('ANSWER_UPDATE_FEED');

/**
 * ANSWER_UPDATES_CHANNEL on a Redis connection of its own: a connection that SUBSCRIBEs can send
 * nothing else, so it cannot be the RedisRepository's. It reconnects forever (a dashboard waits for
 * Redis to come back rather than give up) and ioredis subscribes again on each reconnect.
 */
export class RedisAnswerUpdateFeed implements AnswerUpdateFeed {
  private client?: Redis;

  constructor(private readonly redisUrl: string) {}

  start(handlers: { message: (raw: string) => void; live: (live: boolean) => void }): void {
    const client = new Redis(this.redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: null,
      retryStrategy: (attempt) => Math.min(250 * attempt, 2_000),
    });
    this.client = client;
    client.on('message', (_channel: string, message: string) => handlers.message(message));
    client.on('ready', () => handlers.live(true));
    client.on('close', () => handlers.live(false));
    // Each failed reconnect is an 'error'; the lost subscription is reported once, through 'close'.
    client.on('error', () => undefined);
    client.subscribe(ANSWER_UPDATES_CHANNEL).catch((error: Error) => {
      logger.warn({ error: error.message }, 'could not subscribe to answer updates');
    });
  }

  async stop(): Promise<void> {
    this.client?.disconnect();
  }
}

/** How many keys' last relayed times are remembered (a few dozen are live; period keys roll over). */
const REMEMBERED_KEYS = 512;

const isTime = (value: unknown): value is string | null => value === null || typeof value === 'string';

/**
 * The API process's one subscription to the refresh workflows' notifications, fanned out to every
 * open dashboard stream. Started by the first listener, so an API nobody watches holds no extra
 * connection. A refresher rewrites an unchanged answer (the 1m list is rewritten twice a second
 * while its window is the same): an update whose key and times were relayed already is dropped, so
 * a dashboard fetches an answer only when it changed.
 */
@Injectable()
export class AnswerUpdates implements OnModuleDestroy {
  private readonly listeners = new Set<AnswerUpdateListener>();
  /** Per Redis key, the data_time and computed_at last relayed; oldest first. */
  private readonly relayed = new Map<string, string>();
  private started = false;
  private subscribed = false;

  constructor(@Inject(ANSWER_UPDATE_FEED) private readonly feed: AnswerUpdateFeed) {}

  /** Whether the subscription stands now: updates are being relayed. */
  get live(): boolean {
    return this.subscribed;
  }

  /** Adds a listener (starting the subscription if it is the first); returns its removal. */
  listen(listener: AnswerUpdateListener): () => void {
    this.listeners.add(listener);
    if (!this.started) {
      this.started = true;
      this.feed.start({ message: (raw) => this.receive(raw), live: (live) => this.setLive(live) });
    }
    return () => void this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  async onModuleDestroy(): Promise<void> {
    this.listeners.clear();
    if (this.started) await this.feed.stop();
  }

  private receive(raw: string): void {
    const message = parseMessage(raw);
    if (!message) {
      logger.debug({ message: raw.slice(0, 200) }, 'ignored a malformed answer update');
      return;
    }
    const times = `${message.data_time}|${message.computed_at}`;
    if (this.relayed.get(message.key) === times) return;
    this.relayed.delete(message.key);
    this.relayed.set(message.key, times);
    if (this.relayed.size > REMEMBERED_KEYS) this.relayed.delete(this.relayed.keys().next().value!);
    const update: AnswerUpdate = {
      answer: message.answer,
      data_time: message.data_time,
      computed_at: message.computed_at,
    };
    for (const listener of this.listeners) this.notify(() => listener.update(update));
  }

  private setLive(live: boolean): void {
    if (live === this.subscribed) return;
    this.subscribed = live;
    if (!live) logger.warn('answer updates paused: the Redis subscription was lost');
    for (const listener of this.listeners) this.notify(() => listener.live(live));
  }

  /** One listener's failure (a stream that broke mid-write) never keeps the others from their update. */
  private notify(call: () => void): void {
    try {
      call();
    } catch (error) {
      logger.warn({ error: (error as Error).message }, 'an answer update listener failed');
    }
  }
}

/** The refresher's message, `{ answer, key, data_time, computed_at }`, or null when it is not one. */
function parseMessage(raw: string): (AnswerUpdate & { key: string }) | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { answer, key, data_time, computed_at } = value as Record<string, unknown>;
  if (typeof answer !== 'string' || !answer || typeof key !== 'string' || !key) return null;
  if (!isTime(data_time) || !isTime(computed_at)) return null;
  return { answer, key, data_time, computed_at };
}
