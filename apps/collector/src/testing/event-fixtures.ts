import { uuidv7 } from '@social-pulse/events';

type Overrides = Record<string, unknown>;

/** A valid content event (topic content-events), keyed by its user. */
export const contentEvent = (overrides: Overrides = {}) => ({
  event_id: uuidv7(),
  event_type: 'content.liked',
  schema_version: 1,
  user_id: 'u-component',
  client_ts: new Date().toISOString(),
  properties: { content_id: 'c-1', hashtags: ['#Pulse'] },
  ...overrides,
});

/** A valid user event from an anonymous visitor (topic user-events). */
export const userEvent = (overrides: Overrides = {}) => ({
  event_id: uuidv7(),
  event_type: 'user.page_viewed',
  schema_version: 1,
  anonymous_id: 'anon-component',
  client_ts: new Date().toISOString(),
  context: { page: { path: '/feed' } },
  ...overrides,
});

/** A valid ad event (topic ad-events). */
export const adEvent = (overrides: Overrides = {}) => ({
  event_id: uuidv7(),
  event_type: 'ad.click',
  schema_version: 1,
  user_id: 'u-ad',
  client_ts: new Date().toISOString(),
  properties: { campaign_id: 'camp-1', ad_id: 'ad-1', cost_micros: 1500, currency: 'USD' },
  ...overrides,
});

/** A value nested `levels` objects deep: { a: { a: ... 'leaf' } }. */
export const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};
