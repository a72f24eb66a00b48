import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiSecurity,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { eventJsonSchema } from '@social-pulse/events';
import type { FastifyRequest } from 'fastify';
import { BatchRequestDto, BatchResponseDto, clientRequestOf, EventRequestDto } from '../dtos/batch.dto';
import { IngestService } from '../services/ingest.service';

@ApiTags('events')
@Controller('v1')
@ApiSecurity('write-key')
@ApiUnauthorizedResponse({ description: 'Missing or unknown write key.' })
@ApiForbiddenResponse({ description: 'The request comes from an origin the write key does not allow.' })
@ApiPayloadTooLargeResponse({ description: 'The body or the batch is over its limit.' })
@ApiTooManyRequestsResponse({ description: 'Rate limit per IP or per write key; see Retry-After.' })
@ApiServiceUnavailableResponse({
  description:
    'Kafka did not acknowledge, or too many events wait for it (see Retry-After); retry with the same event ids.',
})
// Write keys and rate limits are checked before the body is read, by the request gate (guards/request-gate.ts).
// Errors are problem details (observability's filter), a RetryLaterException's with Retry-After.
export class BatchController {
  constructor(private readonly ingest: IngestService) {}

  /** Accepts a batch; valid events are durable in Kafka when this answers 202. */
  @Post('batch')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: BatchResponseDto, description: 'Accepted and rejected events, with reasons.' })
  @ApiBadRequestResponse({ description: 'The body is not a batch.' })
  postBatch(@Body() body: BatchRequestDto, @Req() request: FastifyRequest): Promise<BatchResponseDto> {
    return this.ingest.ingest(body, clientRequestOf(request));
  }

  /** Accepts one event, through the same pipeline; durable in Kafka when this answers 202. */
  @Post('event')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: BatchResponseDto, description: 'The event was accepted.' })
  @ApiBadRequestResponse({ description: 'The body is not a valid event; the message says why.' })
  postEvent(@Body() body: EventRequestDto, @Req() request: FastifyRequest): Promise<BatchResponseDto> {
    return this.ingest.ingestOne(body, clientRequestOf(request));
  }

  /** The event schema as JSON Schema. */
  @Get('schema')
  @ApiOkResponse({ description: 'JSON Schema of one event.' })
  schema() {
    return eventJsonSchema();
  }
}
