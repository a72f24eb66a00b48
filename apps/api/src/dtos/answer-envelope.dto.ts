import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { AnswerEnvelope, AnswerSource } from '@social-pulse/shared';

const SOURCES: AnswerSource[] = ['redis', 'clickhouse'];

/**
 * The OpenAPI schema of @social-pulse/shared's AnswerEnvelope around one data type. Extend it to
 * name the schema: `class TrendingAnswerDto extends AnswerEnvelopeDto(TrendingDataDto) {}`.
 */
export function AnswerEnvelopeDto<T>(dataType: Type<T>) {
  class Envelope implements AnswerEnvelope<T> {
    @ApiProperty({ type: dataType }) data!: T;
    @ApiProperty({
      type: String,
      nullable: true,
      description: 'The time the data describes (ISO-8601, UTC); null when there is no data yet',
    })
    data_time!: string | null;
    @ApiProperty({
      type: String,
      nullable: true,
      description: 'When the pipeline computed the data (ISO-8601, UTC)',
    })
    computed_at!: string | null;
    @ApiProperty({ type: Number, nullable: true, description: 'Milliseconds from data_time to this answer' })
    age_ms!: number | null;
    @ApiProperty({ enum: SOURCES, description: 'redis: the hot tier; clickhouse: recomputed for this request' })
    source!: AnswerSource;
    @ApiProperty({ description: 'True when there is no data_time or age_ms > stale_after_ms' }) stale!: boolean;
    @ApiProperty({ description: 'The age past which this answer is stale' }) stale_after_ms!: number;
  }
  return Envelope;
}
