import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { ClientRequest } from '../steps/enrich-client.step';
import type { KeyedRequest } from '../guards/write-key.guard';

export class BatchRequestDto {
  @ApiPropertyOptional({ description: 'When the client sent the batch (ISO-8601); corrects client clock skew.' })
  sent_at?: string;

  @ApiProperty({
    description: 'Events, each validated on its own against the shared event schema (see /v1/schema).',
    type: 'array',
    items: { type: 'object' },
  })
  events!: unknown[];

  @ApiPropertyOptional({ description: 'The write key, for clients that cannot set headers (sendBeacon).' })
  write_key?: string;
}

export class EventRequestDto {
  @ApiProperty({ description: 'A UUID v7; retry with the same id.' })
  event_id!: string;

  @ApiProperty({ description: 'One of the types in /v1/schema, such as content.liked.' })
  event_type!: string;

  @ApiPropertyOptional({ description: 'When the client sent the event (ISO-8601); corrects client clock skew.' })
  sent_at?: string;

  @ApiPropertyOptional({ description: 'The write key, for clients that cannot set headers (sendBeacon).' })
  write_key?: string;
}

export class RejectedEventDto {
  @ApiProperty({ description: 'Position of the event in the batch.' })
  index!: number;

  @ApiPropertyOptional({ description: 'The event_id, when the event had one.' })
  event_id?: string;

  @ApiProperty({ description: 'Why the event was rejected.' })
  reason!: string;
}

export class BatchResponseDto {
  @ApiProperty({ description: 'Events made durable in Kafka.' })
  accepted!: number;

  @ApiProperty({ type: [RejectedEventDto] })
  rejected!: RejectedEventDto[];
}

/** The parts of an HTTP request that enrichment uses. */
export function clientRequestOf(request: FastifyRequest): ClientRequest {
  const userAgent = request.headers['user-agent'];
  return {
    ip: request.ip,
    peer: request.socket.remoteAddress,
    userAgent: typeof userAgent === 'string' ? userAgent : undefined,
    headers: request.headers,
    canary: (request as KeyedRequest).canary,
  };
}
