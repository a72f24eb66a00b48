import { PassThrough } from 'node:stream';
import { Inject, Injectable, ServiceUnavailableException, type OnModuleDestroy } from '@nestjs/common';
import { metricsRegistry } from '@social-pulse/observability';
import { PRECOMPUTED_ANSWER_NAMES } from '@social-pulse/shared';
import type { FastifyReply } from 'fastify';
import { Counter, Gauge } from 'prom-client';
import { AnswerUpdates } from './answer-updates.service';

export interface AnswerStreamOptions {
  /** A comment line this often keeps proxies and load balancers from closing an idle stream (most wait 60 s). */
  heartbeatMs: number;
  /** Streams one API process holds open at most; more are refused with 503. */
  maxStreams: number;
  /** What EventSource-style clients are told to wait before reconnecting (the `retry:` field). */
  retryMs: number;
  /** Bytes a client may leave unread before its stream is dropped (it reconnects and refetches). */
  maxUnreadBytes: number;
}

export const ANSWER_STREAM_OPTIONS = Symbol('ANSWER_STREAM_OPTIONS');

export const DEFAULT_ANSWER_STREAM_OPTIONS: AnswerStreamOptions = {
  heartbeatMs: 15_000,
  maxStreams: 1_000,
  retryMs: 2_000,
  maxUnreadBytes: 256 * 1024,
};

const streamMetrics = {
  open: new Gauge({
    name: 'api_answer_streams',
    help: 'Dashboard event streams (GET /v1/stream) open now',
    registers: [metricsRegistry],
  }),
  events: new Counter({
    name: 'api_answer_stream_events_total',
    help: 'Events written to dashboard streams, per event type (ready, answer, status, heartbeat)',
    labelNames: ['event'],
    registers: [metricsRegistry],
  }),
};

/** One server-sent event; data is one line of JSON, so it never needs splitting. */
export const sseEvent = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * The dashboards' event streams. Each open stream is told of every refreshed answer
 * (`event: answer`, `{ answer, data_time, computed_at }`) and of the subscription's state
 * (`event: status`, `{ live }`); it starts with `event: ready` (`{ live, answers }`). A comment
 * every heartbeatMs keeps idle connections open through proxies. Nothing is replayed after a
 * reconnect: a client refetches what it shows, which is cheaper than a replay log and never wrong.
 */
@Injectable()
export class AnswerStreams implements OnModuleDestroy {
  private readonly streams = new Set<PassThrough>();
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly updates: AnswerUpdates,
    @Inject(ANSWER_STREAM_OPTIONS) private readonly options: AnswerStreamOptions,
  ) {}

  get openCount(): number {
    return this.streams.size;
  }

  /** Answers the request with an event stream that lasts until the client leaves or the API stops. */
  open(reply: FastifyReply): void {
    if (this.streams.size >= this.options.maxStreams) {
      throw new ServiceUnavailableException(
        `this API process holds ${this.options.maxStreams} streams already; try another or later`,
      );
    }
    const stream = new PassThrough();
    const write = (event: string, frame: string) => {
      if (stream.destroyed || stream.writableEnded) return;
      // A client that stopped reading is dropped before its backlog grows: it reconnects and refetches.
      if (stream.writableLength > this.options.maxUnreadBytes) {
        stream.destroy();
        return;
      }
      stream.write(frame);
      streamMetrics.events.inc({ event });
    };
    const stopListening = this.updates.listen({
      update: (update) => write('answer', sseEvent('answer', update)),
      live: (live) => write('status', sseEvent('status', { live })),
    });
    this.streams.add(stream);
    streamMetrics.open.set(this.streams.size);
    // Fastify destroys the stream when the client goes away; ending it (shutdown) closes it too.
    stream.once('close', () => {
      stopListening();
      this.streams.delete(stream);
      streamMetrics.open.set(this.streams.size);
      if (this.streams.size === 0) this.stopHeartbeat();
    });
    this.startHeartbeat();

    stream.write(`retry: ${this.options.retryMs}\n\n`);
    write('ready', sseEvent('ready', { live: this.updates.live, answers: PRECOMPUTED_ANSWER_NAMES }));
    void reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      // no-transform: a proxy must not compress (and so buffer) the stream; X-Accel-Buffering: nginx's own switch.
      .header('cache-control', 'no-cache, no-transform')
      .header('x-accel-buffering', 'no')
      .send(stream);
  }

  /** Ends every stream, so the HTTP server's close is not held up by them. */
  onModuleDestroy(): void {
    this.stopHeartbeat();
    for (const stream of this.streams) stream.end();
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      for (const stream of this.streams) {
        if (stream.writableLength > this.options.maxUnreadBytes) stream.destroy();
        else if (!stream.destroyed && !stream.writableEnded) stream.write(': heartbeat\n\n');
      }
      streamMetrics.events.inc({ event: 'heartbeat' }, this.streams.size);
    }, this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
