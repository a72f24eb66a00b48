import { BadRequestException, Inject, Injectable, PayloadTooLargeException, ServiceUnavailableException } from '@nestjs/common';
import { batchSchema } from '@social-pulse/events';
import { createLogger } from '@social-pulse/observability';
import { TOPICS } from '@social-pulse/shared';
import { COLLECTOR_CONFIG, type CollectorConfig } from '../config';
import type { BatchResponseDto, RejectedEventDto } from '../dtos/batch.dto';
import { KafkaRepository } from '../repositories/kafka.repository';
import { createEnrichEventStep } from '../steps/enrich-event.step';
import { createRouteEventStep, type KafkaRecord } from '../steps/route-event.step';
import { createValidateEventStep } from '../steps/validate-event.step';
import { ingestMetrics } from './ingest.metrics';

const logger = createLogger('collector');

/**
 * Turns a posted batch into durable Kafka records. A bad event never fails its batch: it is
 * rejected with a reason and kept in the dead-letter topic, and the rest are accepted.
 */
@Injectable()
export class IngestService {
  private readonly validate;
  private readonly enrich = createEnrichEventStep();
  private readonly route = createRouteEventStep();

  constructor(
    @Inject(COLLECTOR_CONFIG) private readonly config: CollectorConfig,
    private readonly kafka: KafkaRepository,
  ) {
    this.validate = createValidateEventStep({ maxEventBytes: config.COLLECTOR_MAX_EVENT_BYTES });
  }

  async ingest(body: unknown): Promise<BatchResponseDto> {
    const receivedAt = Date.now();
    const batch = batchSchema.safeParse(body);
    if (!batch.success) {
      throw new BadRequestException(`invalid batch: ${batch.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
    }
    const { events, sent_at: sentAt } = batch.data;
    if (events.length > this.config.COLLECTOR_MAX_BATCH_EVENTS) {
      throw new PayloadTooLargeException(`a batch holds at most ${this.config.COLLECTOR_MAX_BATCH_EVENTS} events; this one has ${events.length}`);
    }
    ingestMetrics.batchSize.observe(events.length);

    const accepted: KafkaRecord[] = [];
    const rejected: RejectedEventDto[] = [];
    const deadLetters: KafkaRecord[] = [];
    events.forEach((raw, index) => {
      const outcome = this.validate(raw);
      if (outcome.kind === 'ok') {
        accepted.push(this.route(this.enrich(outcome.value, { receivedAt, sentAt })));
        return;
      }
      const eventId = eventIdOf(raw);
      rejected.push({ index, event_id: eventId, reason: outcome.reason });
      deadLetters.push({
        topic: TOPICS.deadLetter,
        key: eventId ?? `batch-${receivedAt}-${index}`,
        value: JSON.stringify({ reason: outcome.reason, received_at: new Date(receivedAt).toISOString(), event: raw }),
      });
    });

    const started = performance.now();
    try {
      // The answer waits for Kafka: a 202 means every accepted event is durable.
      await this.kafka.publish([...accepted, ...deadLetters]);
    } catch (error) {
      ingestMetrics.publishFailures.inc();
      logger.error({ error: (error as Error).message, events: events.length }, 'publishing to Kafka failed');
      throw new ServiceUnavailableException('events could not be made durable; retry later');
    } finally {
      ingestMetrics.produceSeconds.observe((performance.now() - started) / 1000);
    }
    ingestMetrics.events.inc({ outcome: 'accepted' }, accepted.length);
    for (const r of rejected) ingestMetrics.events.inc({ outcome: 'rejected', reason: reasonLabel(r.reason) });
    return { accepted: accepted.length, rejected };
  }
}

function eventIdOf(raw: unknown): string | undefined {
  const id = (raw as { event_id?: unknown } | null)?.event_id;
  return typeof id === 'string' && id.length <= 128 ? id : undefined;
}

/** A bounded label: the failing field, not the whole message. */
function reasonLabel(reason: string): string {
  return reason.split(':')[0].slice(0, 40);
}
