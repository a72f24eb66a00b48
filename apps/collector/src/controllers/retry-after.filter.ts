import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RetryLaterException } from '../services/ingest.service';

/** Answers a RetryLaterException with its status and a Retry-After header, which the SDK's backoff honours. */
@Catch(RetryLaterException)
export class RetryAfterFilter implements ExceptionFilter {
  catch(exception: RetryLaterException, host: ArgumentsHost): void {
    void host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .header('Retry-After', String(exception.retryAfterSeconds))
      .code(exception.getStatus())
      .send(exception.getResponse());
  }
}
