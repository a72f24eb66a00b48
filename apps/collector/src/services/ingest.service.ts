import {
  BadRequestException,
  Inject,
  Injectable,
  PayloadTooLargeException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { batchSchema, deadLetterReason } from '@social-pulse/events';
import { createLogger } from '@social-pulse/observability';
import { TOPICS } from '@social-pulse/shared';
import { createProxyTrust } from '../client-address';
import { COLLECTOR_CONFIG, type CollectorConfig } from '../config';
import type { BatchResponseDto, RejectedEventDto } from '../dtos/batch.dto';
import { KafkaRepository } from '../repositories/kafka.repository';
import { createEnrichClientStep, type ClientRequest } from '../steps/enrich-client.step';
import { createEnrichEventStep } from '../steps/enrich-event.step';
import { createMarkCanaryStep } from '../steps/mark-canary.step';
import { createRouteEventStep, type KafkaRecord } from '../steps/route-event.step';
import { createValidateEventStep } from '../steps/validate-event.step';
import { ingestMetrics } from './ingest.metrics';

const logger = createLogger('collector');

/** How long a client is asked to wait while too many events wait for Kafka. */
const QUEUE_FULL_RETRY_AFTER_SECONDS = 1;

/** A 503 that tells the client when to retry (Retry-After, set by observability's problem details filter). */
export class RetryLaterException extends ServiceUnavailableException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A dead letter keeps the event itself when it is small and serialisable, else an excerpt. */
const DEAD_LETTER_EXCERPT_CHARS = 1024;

/**
 * Turns a posted batch into durable Kafka records. A bad event never fails its batch: it is
 * rejected with a reason and kept in the dead-letter topic, and the rest are accepted.
 */
@Injectable()
export class IngestService {
  private readonly validate;
  private readonly enrich = createEnrichEventStep();
  private readonly markCanary = createMarkCanaryStep();
  private readonly enrichClient;
  private readonly route;
  /** Events handed to Kafka and not yet acknowledged (or refused): bounded by COLLECTOR_MAX_PENDING_EVENTS. */
  private pending = 0;

  constructor(
    @Inject(COLLECTOR_CONFIG) private readonly config: CollectorConfig,
    private readonly kafka: KafkaRepository,
  ) {
    this.validate = createValidateEventStep({
      maxEventBytes: config.COLLECTOR_MAX_EVENT_BYTES,
      maxDepth: config.COLLECTOR_MAX_DEPTH,
      maxStringLength: config.COLLECTOR_MAX_STRING_LENGTH,
    });
    this.route = createRouteEventStep(config.COLLECTOR_TOPIC_PREFIX);
    this.enrichClient = createEnrichClientStep({
      countryHeaders: config.COLLECTOR_COUNTRY_HEADERS,
      isTrustedProxy: createProxyTrust(config.TRUSTED_PROXIES),
    });
  }

  /** One event on its own (POST /v1/event): the batch pipeline, but a rejected event is a 400. */
  async ingestOne(body: unknown, request: ClientRequest): Promise<BatchResponseDto> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new BadRequestException('invalid event: expected a JSON object');
    }
    // The key and the send time belong to the request, not to the stored event.
    const { sent_at: sentAt, write_key: _key, ...event } = body as Record<string, unknown>;
    const answer = await this.ingest({ events: [event], ...(sentAt !== undefined && { sent_at: sentAt }) }, request);
    if (answer.rejected.length > 0) throw new BadRequestException(`invalid event: ${answer.rejected[0].reason}`);
    return answer;
  }

  async ingest(body: unknown, request: ClientRequest): Promise<BatchResponseDto> {
    const receivedAt = Date.now();
    const batch = batchSchema.safeParse(body);
    if (!batch.success) {
      throw new BadRequestException(
        `invalid batch: ${batch.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
          .join('; ')}`,
      );
    }
    const { events, sent_at: sentAt } = batch.data;
    if (events.length > this.config.COLLECTOR_MAX_BATCH_EVENTS) {
      throw new PayloadTooLargeException(
        `a batch holds at most ${this.config.COLLECTOR_MAX_BATCH_EVENTS} events; this one has ${events.length}`,
      );
    }
    // Fail fast while Kafka is known to be away: the client retries, no request piles up.
    if (!this.kafka.canPublish()) {
      ingestMetrics.publishFailures.inc();
      throw new ServiceUnavailableException('Kafka is unavailable; retry later with the same event ids');
    }
    // While Kafka is slow (not failing), requests would queue without bound: shed load at once instead.
    // Each event becomes one record (accepted or dead letter). One batch is let through when nothing
    // waits, so a batch bigger than the bound is not refused for ever.
    const maxPending = this.config.COLLECTOR_MAX_PENDING_EVENTS;
    if (this.pending > 0 && this.pending + events.length > maxPending) {
      throw new RetryLaterException(
        `${this.pending} events are waiting for Kafka (at most ${maxPending}); retry in ${QUEUE_FULL_RETRY_AFTER_SECONDS} s with the same event ids`,
        QUEUE_FULL_RETRY_AFTER_SECONDS,
      );
    }
    ingestMetrics.batchSize.observe(events.length);

    const accepted: KafkaRecord[] = [];
    const rejected: RejectedEventDto[] = [];
    const deadLetters: KafkaRecord[] = [];
    events.forEach((raw, index) => {
      const marked = this.markCanary(raw, request);
      const outcome = marked.kind === 'ok' ? this.validate(marked.value) : marked;
      if (outcome.kind === 'ok') {
        accepted.push(this.route(this.enrichClient(this.enrich(outcome.value, { receivedAt, sentAt }), request)));
        return;
      }
      const eventId = eventIdOf(raw);
      rejected.push({ index, event_id: eventId, reason: outcome.reason });
      deadLetters.push({
        topic: this.config.COLLECTOR_TOPIC_PREFIX + TOPICS.deadLetter,
        key: eventId ?? `batch-${receivedAt}-${index}`,
        value: JSON.stringify({
          reason_code: deadLetterReason(outcome.reason),
          reason: outcome.reason,
          received_at: new Date(receivedAt).toISOString(),
          ...deadLetterBody(raw, this.config.COLLECTOR_MAX_EVENT_BYTES),
        }),
      });
    });

    const records = [...accepted, ...deadLetters];
    const started = performance.now();
    this.pending += records.length;
    ingestMetrics.pendingEvents.set(this.pending);
    try {
      // The answer waits for Kafka: a 202 means every accepted event is durable.
      await this.kafka.publish(records);
    } catch (error) {
      // A record batch the broker refuses for its size is the request's fault, not Kafka's.
      if (isTooLarge(error)) {
        throw new PayloadTooLargeException(
          'the batch is too large for Kafka once enriched; send fewer events per batch',
        );
      }
      ingestMetrics.publishFailures.inc();
      this.kafka.reportFailure();
      logger.error({ error: (error as Error).message, events: events.length }, 'publishing to Kafka failed');
      throw new ServiceUnavailableException('events could not be made durable; retry later with the same event ids');
    } finally {
      this.pending -= records.length;
      ingestMetrics.pendingEvents.set(this.pending);
      ingestMetrics.produceSeconds.observe((performance.now() - started) / 1000);
    }
    ingestMetrics.events.inc({ outcome: 'accepted' }, accepted.length);
    for (const r of rejected) ingestMetrics.events.inc({ outcome: 'rejected', reason: deadLetterReason(r.reason) });
    return { accepted: accepted.length, rejected };
  }
}

function isTooLarge(error: unknown): boolean {
  for (
    let e = error as { type?: string; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (e.type === 'MESSAGE_TOO_LARGE' || e.type === 'RECORD_LIST_TOO_LARGE') return true;
  }
  return false;
}

function eventIdOf(raw: unknown): string | undefined {
  const id = (raw as { event_id?: unknown } | null)?.event_id;
  return typeof id === 'string' && id.length <= 128 ? id : undefined;
}

function deadLetterBody(raw: unknown, maxBytes: number): { event?: unknown; event_excerpt?: string } {
  let text: string | undefined;
  try {
    text = JSON.stringify(raw);
  } catch {
    // Nested too deep to serialise (RangeError): the reason says why; no excerpt.
    return { event_excerpt: '' };
  }
  if (text === undefined) return { event: null };
  return Buffer.byteLength(text) <= maxBytes
    ? { event: raw }
    : { event_excerpt: text.slice(0, DEAD_LETTER_EXCERPT_CHARS) };
}
