import {
  Catch,
  HttpException,
  HttpStatus,
  type ArgumentsHost,
  type ExceptionFilter,
  type HttpExceptionOptions,
} from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Logger } from './logger';

/** RFC 9457's media type: every error a service answers has it. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * The problem types with members of their own; every other error is `about:blank` (its status says it
 * all). Tag URIs (RFC 4151), as RFC 9457 suggests for types that are identifiers, not documents: a
 * client compares them, never fetches them. Each is described in the README's API section.
 */
export const PROBLEM_TYPES = {
  /** 400: `errors` lists each bad parameter and what is wrong with it. */
  validation: 'tag:social-pulse,2026:problem:validation',
  /** 403: the key is known but lacks `required_scope`. */
  insufficientScope: 'tag:social-pulse,2026:problem:insufficient-scope',
  /** 429: `retry_after` seconds (also in Retry-After) until the key or client may ask again. */
  rateLimited: 'tag:social-pulse,2026:problem:rate-limited',
  /** 503: a dependency failed; `retry_after` (also in Retry-After) says when to try again. */
  unavailable: 'tag:social-pulse,2026:problem:unavailable',
} as const;

/** RFC 9457 problem details, with the extension members of its type. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  [extension: string]: unknown;
}

/** One bad request parameter: its name (absent when the rule spans several, e.g. from before to) and why. */
export interface ParameterError {
  parameter?: string;
  detail: string;
}

export interface ProblemOptions {
  /** One of PROBLEM_TYPES; about:blank when the status says it all. */
  type?: string;
  /** Members of the problem type, e.g. `errors`, `required_scope`; snake_case like the rest of the API. */
  extensions?: Record<string, unknown>;
  /** Sent as Retry-After and as the `retry_after` member. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * An HTTP error with the parts of its problem details. Any HttpException is answered as a problem
 * too; this one adds a type and extension members.
 */
export class ProblemException extends HttpException {
  readonly problemType: string;
  readonly extensions: Record<string, unknown>;
  readonly retryAfterSeconds?: number;

  constructor(status: number, detail: string, options: ProblemOptions = {}) {
    super(detail, status, { cause: options.cause } satisfies HttpExceptionOptions);
    this.problemType = options.type ?? 'about:blank';
    this.extensions = options.extensions ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** 400 naming each bad parameter; the detail joins their messages. */
export const validationProblem = (errors: ParameterError[]) =>
  new ProblemException(HttpStatus.BAD_REQUEST, errors.map((error) => error.detail).join('; '), {
    type: PROBLEM_TYPES.validation,
    extensions: { errors },
  });

/** 429 with Retry-After. */
export const rateLimitedProblem = (retryAfterSeconds: number, detail: string) =>
  new ProblemException(HttpStatus.TOO_MANY_REQUESTS, detail, { type: PROBLEM_TYPES.rateLimited, retryAfterSeconds });

/** Members of Nest's and Fastify's own error bodies that the problem's standard members replace. */
const REPLACED_MEMBERS = new Set(['statusCode', 'error', 'message', 'status', 'type', 'title', 'detail', 'instance']);

/** The error's problem details and headers; `instance` is the request's path (never its query, which may hold a key). */
export function problemOf(error: unknown, path: string): { problem: ProblemDetails; headers: Record<string, string> } {
  const { status, detail, type, extensions, retryAfterSeconds } = partsOf(error);
  const problem: ProblemDetails = {
    ...extensions,
    type,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance: path,
  };
  const headers: Record<string, string> = {};
  if (retryAfterSeconds !== undefined) {
    problem.retry_after = retryAfterSeconds;
    headers['retry-after'] = String(retryAfterSeconds);
  }
  return { problem, headers };
}

interface ProblemParts {
  status: number;
  detail: string;
  type: string;
  extensions: Record<string, unknown>;
  retryAfterSeconds?: number;
}

function partsOf(error: unknown): ProblemParts {
  const retryAfterSeconds = retryAfterOf(error);
  if (error instanceof ProblemException) {
    return {
      status: error.getStatus(),
      detail: error.message,
      type: error.problemType,
      extensions: error.extensions,
      retryAfterSeconds,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    if (typeof response === 'string') {
      return { status, detail: response, type: 'about:blank', extensions: {}, retryAfterSeconds };
    }
    const body = response as Record<string, unknown>;
    const extensions = Object.fromEntries(Object.entries(body).filter(([key]) => !REPLACED_MEMBERS.has(key)));
    const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
    const detail = typeof message === 'string' && message ? message : (STATUS_CODES[status] ?? 'Error');
    return { status, detail, type: 'about:blank', extensions, retryAfterSeconds };
  }
  // Fastify's own errors (body too large, bad JSON, unsupported media type) carry their status.
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, detail: (error as Error).message, type: 'about:blank', extensions: {} };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    detail: 'an internal error occurred; it has been logged',
    type: 'about:blank',
    extensions: {},
  };
}

/** A `retryAfterSeconds` the error carries (ProblemException, or a service's own exception such as the collector's). */
function retryAfterOf(error: unknown): number | undefined {
  const seconds = (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds) : undefined;
}

/** Answers the error as problem details; for code outside Nest's filters (Fastify hooks). */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const { problem, headers } = problemOf(error, request.url.split('?')[0]);
  return reply
    .code(problem.status)
    .headers(headers)
    .type(`${PROBLEM_CONTENT_TYPE}; charset=utf-8`)
    .send(JSON.stringify(problem));
}

/**
 * Every error a service answers, as RFC 9457 problem details: Nest's HTTP exceptions, Fastify's own
 * errors (body limits, media types), unknown routes, and unexpected errors, which are logged and
 * answered 500 without their message (it may name hosts, ports or data).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: Pick<Logger, 'error'>) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { problem } = problemOf(error, request.url.split('?')[0]);
    if (problem.status >= 500 && !(error instanceof HttpException)) {
      this.logger.error({ err: error, route: request.routeOptions?.url, method: request.method }, 'request failed');
    }
    if (reply.sent) return;
    void sendProblem(request, reply, error);
  }
}

/** The OpenAPI schema of a problem (RFC 9457). */
export class ProblemDetailsDto {
  @ApiProperty({
    description: 'The problem type: about:blank (the status says it all) or one of the tag: URIs in the README',
    example: 'about:blank',
  })
  type!: string;
  @ApiProperty({ description: 'The status phrase', example: 'Unauthorized' }) title!: string;
  @ApiProperty({ description: 'The HTTP status', example: 401 }) status!: number;
  @ApiProperty({ description: 'What went wrong, for a person', example: 'missing API key: send X-API-Key' })
  detail!: string;
  @ApiProperty({ description: 'The request path', example: '/v1/trending' }) instance!: string;
}

export class ParameterErrorDto implements ParameterError {
  @ApiPropertyOptional({ description: 'The parameter; absent when a rule spans several', example: 'limit' })
  parameter?: string;
  @ApiProperty({ example: 'limit must be at most 100' }) detail!: string;
}

export class ValidationProblemDto extends ProblemDetailsDto {
  @ApiProperty({ type: [ParameterErrorDto], description: 'Each bad parameter' }) errors!: ParameterErrorDto[];
}

export class RateLimitedProblemDto extends ProblemDetailsDto {
  @ApiProperty({ description: 'Seconds to wait, as in Retry-After', example: 1 }) retry_after!: number;
}
