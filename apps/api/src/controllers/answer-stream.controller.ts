import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiSecurity, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiKeyGuard } from '../guards/api-key.guard';
import { AnswerStreams } from '../services/answer-streams.service';
import { KeyedRoute } from './answer-route.decorator';

@ApiTags('stream')
@ApiSecurity('api-key')
@Controller('v1/stream')
@UseGuards(ApiKeyGuard)
export class AnswerStreamController {
  constructor(private readonly streams: AnswerStreams) {}

  /**
   * Server-sent events telling a dashboard which pre-computed answer was refreshed, so that it
   * fetches that answer then instead of polling. The key goes in X-API-Key (or as a Bearer token)
   * like every read: a client reads the stream with fetch, not EventSource, which cannot send it.
   */
  @Get()
  @KeyedRoute('read', '/v1/stream')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description:
      'An event stream: `ready` ({ live, answers }) first; then `answer` ({ answer, data_time, computed_at }) ' +
      'each time a refresh changed an answer, `status` ({ live }) when the API lost or regained its ' +
      'subscription (updates in between were missed: refetch), and a `: heartbeat` comment every 15 s.',
  })
  @ApiServiceUnavailableResponse({ description: 'This API process holds as many streams as it may.' })
  open(@Res() reply: FastifyReply): void {
    this.streams.open(reply);
  }
}
