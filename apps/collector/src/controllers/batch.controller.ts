import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiSecurity, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { eventJsonSchema } from '@social-pulse/events';
import { BatchRequestDto, BatchResponseDto } from '../dtos/batch.dto';
import { WriteKeyGuard } from '../guards/write-key.guard';
import { IngestService } from '../services/ingest.service';

@ApiTags('events')
@Controller('v1')
export class BatchController {
  constructor(private readonly ingest: IngestService) {}

  /** Accepts a batch; valid events are durable in Kafka when this answers 202. */
  @Post('batch')
  @HttpCode(202)
  @UseGuards(WriteKeyGuard)
  @ApiSecurity('write-key')
  @ApiAcceptedResponse({ type: BatchResponseDto, description: 'Accepted and rejected events, with reasons.' })
  @ApiBadRequestResponse({ description: 'The body is not a batch.' })
  @ApiUnauthorizedResponse({ description: 'Missing or unknown write key.' })
  @ApiServiceUnavailableResponse({ description: 'Kafka did not acknowledge; retry with the same event ids.' })
  postBatch(@Body() body: BatchRequestDto): Promise<BatchResponseDto> {
    return this.ingest.ingest(body);
  }

  /** The event schema as JSON Schema. */
  @Get('schema')
  @ApiOkResponse({ description: 'JSON Schema of one event.' })
  schema() {
    return eventJsonSchema();
  }
}
