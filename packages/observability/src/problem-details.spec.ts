import { BadRequestException, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { PROBLEM_TYPES, ProblemException, problemOf, rateLimitedProblem, validationProblem } from './problem-details';

describe(problemOf.name, () => {
  describe('HTTP exceptions', () => {
    it('should take a string response as the detail, with the status phrase as title', () => {
      expect(problemOf(new BadRequestException('limit must be a number'), '/v1/trending')).toEqual({
        problem: {
          type: 'about:blank',
          title: 'Bad Request',
          status: 400,
          detail: 'limit must be a number',
          instance: '/v1/trending',
        },
        headers: {},
      });
    });

    it('should keep the members of an object response as extensions, its message as the detail', () => {
      const error = new ServiceUnavailableException({ message: 'unready', status: 'unready', kafka: false });

      expect(problemOf(error, '/ready').problem).toEqual({
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: 'unready',
        instance: '/ready',
        kafka: false,
      });
    });

    it('should join a list of messages and fall back to the title when there is none', () => {
      expect(problemOf(new BadRequestException({ message: ['a is bad', 'b is bad'] }), '/').problem.detail).toBe(
        'a is bad; b is bad',
      );
      expect(problemOf(new ServiceUnavailableException({ kafka: false }), '/').problem.detail).toBe(
        'Service Unavailable',
      );
    });

    it('should never let an extension override a standard member', () => {
      const error = new ProblemException(HttpStatus.FORBIDDEN, 'no', { extensions: { status: 200, title: 'OK' } });

      expect(problemOf(error, '/x').problem).toMatchObject({ status: 403, title: 'Forbidden' });
    });
  });

  describe('problem exceptions', () => {
    it('should give a validation problem its type and errors', () => {
      const errors = [
        { parameter: 'limit', detail: 'limit must be at most 100' },
        { detail: 'from must be before to' },
      ];

      expect(problemOf(validationProblem(errors), '/v1/trending').problem).toEqual({
        type: PROBLEM_TYPES.validation,
        title: 'Bad Request',
        status: 400,
        detail: 'limit must be at most 100; from must be before to',
        instance: '/v1/trending',
        errors,
      });
    });

    it('should send Retry-After and retry_after for a rate limit', () => {
      const { problem, headers } = problemOf(rateLimitedProblem(2, 'slow down'), '/v1/batch');

      expect(problem).toMatchObject({ type: PROBLEM_TYPES.rateLimited, status: 429, retry_after: 2 });
      expect(headers).toEqual({ 'retry-after': '2' });
    });

    it("should honour another exception's retryAfterSeconds (the collector's RetryLaterException)", () => {
      const error = Object.assign(new ServiceUnavailableException('Kafka is away'), { retryAfterSeconds: 0.2 });

      expect(problemOf(error, '/v1/batch')).toMatchObject({
        problem: { status: 503, detail: 'Kafka is away', retry_after: 1 },
        headers: { 'retry-after': '1' },
      });
    });
  });

  describe('other errors', () => {
    it("should keep a Fastify 4xx error's status and message (body too large, bad media type)", () => {
      const error = Object.assign(new Error('Request body is too large'), {
        statusCode: 413,
        code: 'FST_ERR_CTP_BODY_TOO_LARGE',
      });

      expect(problemOf(error, '/v1/batch').problem).toEqual({
        type: 'about:blank',
        title: 'Payload Too Large',
        status: 413,
        detail: 'Request body is too large',
        instance: '/v1/batch',
      });
    });

    it('should answer anything else 500 without its message, which may name hosts or data', () => {
      const { problem } = problemOf(new Error('connect ECONNREFUSED 10.0.0.7:8123'), '/v1/trending');

      expect(problem).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        detail: 'an internal error occurred; it has been logged',
        instance: '/v1/trending',
      });
      expect(problemOf({ statusCode: 502, message: 'upstream' }, '/').problem.status).toBe(500);
    });
  });
});
