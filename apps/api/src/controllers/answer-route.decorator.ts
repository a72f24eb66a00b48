import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiExtension,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiQuery,
  ApiResponse,
  getSchemaPath,
  type ApiResponseOptions,
} from '@nestjs/swagger';
import {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPES,
  ProblemDetailsDto,
  RateLimitedProblemDto,
  ValidationProblemDto,
  type ParameterError,
  type ProblemDetails,
} from '@social-pulse/observability/nest';
import { STATUS_CODES } from 'node:http';
import type { ApiScope } from '../config';
import { InsufficientScopeProblemDto, UnavailableProblemDto } from '../dtos/problems.dto';
import { RequireScope } from '../guards/api-key.guard';

export interface AnswerRouteOptions<T> {
  /** The route as the document names it, for the problems' `instance`: '/v1/trending'. */
  path: string;
  /** The answer's DTO (an AnswerEnvelopeDto) and an example of it (dtos/answer-examples.ts). */
  type: Type<T>;
  example: T;
  /** The scope a key needs: read (dashboard aggregates) or admin (per-user data). */
  scope: ApiScope;
  /** What makes this route's parameters a 400, in words. */
  badRequest: string;
  /** A typical bad parameter, for the 400's example. */
  badParameter: ParameterError;
}

/**
 * An optional query parameter taking one of a list, with an example: ApiQuery's own `enum` option
 * drops the example from the document.
 */
export const EnumQuery = (name: string, values: readonly string[], example: string, description: string) =>
  ApiQuery({ name, required: false, description, schema: { type: 'string', enum: [...values], example } });

const header = (description: string, example: string) => ({ description, schema: { type: 'string', example } });

const ANSWER_HEADERS = {
  ETag: header('The answer’s identity; send it back in If-None-Match for a 304', 'W/"k3f9J2q0VYd0Xo8pS1w8yA"'),
  Age: header('Seconds since the data’s time (data_time)', '1'),
  'Cache-Control': header('Reusable until the answer turns stale; no-cache once it is', 'public, max-age=11'),
  'X-Answer-Source': header('redis (the hot tier) or clickhouse (computed for this request)', 'redis'),
};

const RETRY_AFTER = { 'Retry-After': header('Seconds to wait before asking again', '1') };

function problemResponse(
  status: number,
  description: string,
  dto: Type<unknown>,
  example: ProblemDetails,
  headers?: Record<string, unknown>,
): ApiResponseOptions {
  return {
    status,
    description,
    ...(headers && { headers }),
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(dto) }, example } },
  } as ApiResponseOptions;
}

const problemExample = (path: string, status: number, detail: string, more: Record<string, unknown> = {}) => ({
  type: 'about:blank',
  title: STATUS_CODES[status] ?? 'Error',
  status,
  detail,
  instance: path,
  ...more,
});

/**
 * The access rule of every route behind an API key, and its OpenAPI: the scope the key needs
 * (enforced by ApiKeyGuard, published as `x-required-scope`), and the refusals as problem details
 * (401, 403, 429). `path` is an example request path, for the problems' `instance`.
 */
export function KeyedRoute(scope: ApiScope, path: string) {
  return applyDecorators(
    RequireScope(scope),
    ApiExtension('x-required-scope', scope),
    ApiExtraModels(ProblemDetailsDto, ValidationProblemDto, RateLimitedProblemDto),
    ApiExtraModels(InsufficientScopeProblemDto, UnavailableProblemDto),
    ApiResponse(
      problemResponse(
        401,
        'No API key, or an unknown one.',
        ProblemDetailsDto,
        problemExample(path, 401, 'missing API key: send X-API-Key'),
      ),
    ),
    ApiResponse(
      problemResponse(
        403,
        scope === 'admin'
          ? 'The key is valid but of scope read; this route needs admin.'
          : 'The key’s scope does not cover read (today every key’s does).',
        InsufficientScopeProblemDto,
        problemExample(path, 403, 'this route needs an API key of scope admin', {
          type: PROBLEM_TYPES.insufficientScope,
          required_scope: 'admin',
        }),
      ),
    ),
    ApiResponse(
      problemResponse(
        429,
        'The key made more requests than its rate allows (API_KEY_RATE_LIMIT, API_KEY_RATE_BURST).',
        RateLimitedProblemDto,
        problemExample(path, 429, 'rate limit of 50 requests per second for this API key exceeded; retry in 1 s', {
          type: PROBLEM_TYPES.rateLimited,
          retry_after: 1,
        }),
        RETRY_AFTER,
      ),
    ),
  );
}

/**
 * The OpenAPI contract every answer route shares on top of KeyedRoute's: the 200 with its example
 * and freshness headers, 304 on If-None-Match, 400 naming the bad parameters and 503 naming the
 * failed dependencies, both as problem details.
 */
export function AnswerRoute<T>(options: AnswerRouteOptions<T>) {
  const { path, type, example, scope, badRequest, badParameter } = options;
  return applyDecorators(
    KeyedRoute(scope, path),
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'The ETag of an answer held: 304 without a body while it is still the answer',
      example: 'W/"k3f9J2q0VYd0Xo8pS1w8yA"',
    }),
    ApiOkResponse({ type, example, headers: ANSWER_HEADERS, description: 'The answer in its envelope' }),
    ApiResponse({
      status: 304,
      description: 'Not Modified: If-None-Match named the current answer’s ETag',
      headers: { ETag: ANSWER_HEADERS.ETag },
    }),
    ApiResponse(
      problemResponse(
        400,
        `${badRequest} Also an unknown query parameter, or one given twice.`,
        ValidationProblemDto,
        problemExample(path, 400, badParameter.detail, { type: PROBLEM_TYPES.validation, errors: [badParameter] }),
      ),
    ),
    ApiResponse(
      problemResponse(
        503,
        'No answer can be served: ClickHouse failed and the last good answer is missing or too old, or both ' +
          'Redis and ClickHouse failed.',
        UnavailableProblemDto,
        problemExample(
          path,
          503,
          'the answer cannot be served now: clickhouse: no answer within 3000 ms; no last good answer',
          {
            type: PROBLEM_TYPES.unavailable,
            dependencies: ['clickhouse'],
            reasons: [{ dependency: 'clickhouse', reason: 'timeout' }],
            retry_after: 5,
          },
        ),
        RETRY_AFTER,
      ),
    ),
  );
}
