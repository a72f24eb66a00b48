import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class BatchRequestDto {
  @ApiPropertyOptional({ description: 'When the client sent the batch (ISO-8601); corrects client clock skew.' })
  sent_at?: string;

  @ApiProperty({
    description: 'Events, each validated on its own against the shared event schema (see /v1/schema).',
    type: 'array',
    items: { type: 'object' },
  })
  events!: unknown[];
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
