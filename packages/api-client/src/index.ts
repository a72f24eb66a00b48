import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './api-types';

export type { components, operations, paths };

type Schemas = components['schemas'];
export type TrendingAnswer = Schemas['TrendingAnswerDto'];
export type TopicHistoryAnswer = Schemas['TopicHistoryAnswerDto'];
export type EngagementSummaryAnswer = Schemas['EngagementSummaryAnswerDto'];
export type LiveEngagementAnswer = Schemas['LiveEngagementAnswerDto'];
export type UserSessionsAnswer = Schemas['UserSessionsAnswerDto'];
export type AdsPerformanceAnswer = Schemas['AdsPerformanceAnswerDto'];
export type AdsCampaignsAnswer = Schemas['AdsCampaignsAnswerDto'];
/** An error answer (RFC 9457); its type's members (errors, retry_after, required_scope, …) come with it. */
export type Problem = Schemas['ProblemDetailsDto'] &
  Partial<Omit<Schemas['ValidationProblemDto'], keyof Schemas['ProblemDetailsDto']>> &
  Partial<Omit<Schemas['RateLimitedProblemDto'], keyof Schemas['ProblemDetailsDto']>> &
  Partial<Omit<Schemas['InsufficientScopeProblemDto'], keyof Schemas['ProblemDetailsDto']>> &
  Partial<Omit<Schemas['UnavailableProblemDto'], keyof Schemas['ProblemDetailsDto']>>;

export type ApiClient = Client<paths>;

export interface ApiClientOptions extends Omit<ClientOptions, 'baseUrl' | 'headers'> {
  /** The API's URL, e.g. http://127.0.0.1:3000 (or '' for the page's own origin). */
  baseUrl: string;
  /** Sent as X-API-Key with every request. */
  apiKey: string;
}

/**
 * A typed client of the dashboard API: paths, parameters and answers are checked against the
 * API's OpenAPI document at compile time. Each call answers `{ data, error, response }`: `data` on
 * 2xx, `error` (a Problem) otherwise.
 *
 *   const api = createApiClient({ baseUrl: 'http://127.0.0.1:3000', apiKey });
 *   const { data, error } = await api.GET('/v1/trending', { params: { query: { window: '5m', limit: 10 } } });
 */
export function createApiClient({ apiKey, ...options }: ApiClientOptions): ApiClient {
  return createClient<paths>({ ...options, headers: { 'X-API-Key': apiKey } });
}

/** True for an error body in problem details form (what every API error is). */
export function isProblem(value: unknown): value is Problem {
  const candidate = value as Partial<Problem> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.type === 'string' &&
    typeof candidate.status === 'number' &&
    typeof candidate.detail === 'string'
  );
}
