import {
  familyOf,
  SCHEMA_VERSION,
  uuidv7,
  type AdEventType,
  type ContentEventType,
  type EventType,
  type UserEventType,
  type UserTraits,
} from '@social-pulse/events';

/**
 * A desktop browser's user agent. The collector flags bots by user agent (Node's fetch sends
 * `node`, headless Chrome `HeadlessChrome`) and trending leaves bot-flagged events out, so events
 * that must count as people's carry this in `context.user_agent` or the request's User-Agent.
 */
export const BROWSER_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/**
 * Events as the SDK sends them, valid by default (see fixtures.spec.ts): a fresh UUID v7 and the
 * current time in each. Overrides replace top-level fields as they are (`properties` whole), and
 * may be invalid on purpose: `contentEvent({ event_id: 'not-a-uuid' })`.
 */
interface Envelope<T extends EventType> {
  event_id: string;
  event_type: T;
  schema_version: typeof SCHEMA_VERSION;
  user_id: string;
  client_ts: string;
}

export interface ContentEventFixture extends Envelope<ContentEventType> {
  properties: { content_id: string; hashtags: string[]; [key: string]: unknown };
}
export interface UserEventFixture extends Envelope<Exclude<UserEventType, 'user.identified'>> {
  context: { page: { url: string; path: string; title: string }; [key: string]: unknown };
  properties: Record<string, unknown>;
}
export interface IdentifyEventFixture extends Envelope<'user.identified'> {
  anonymous_id: string;
  properties: { traits: UserTraits; [key: string]: unknown };
}
export interface AdEventFixture extends Envelope<AdEventType> {
  properties: { campaign_id: string; ad_id: string; [key: string]: unknown };
}

/** The fixture with the overridden fields' types in place of its own. */
export type WithOverrides<T, O> = Omit<T, keyof O> & O;

const envelope = (): Omit<Envelope<never>, 'event_type'> => ({
  event_id: uuidv7(),
  schema_version: SCHEMA_VERSION,
  user_id: 'test-user',
  client_ts: new Date().toISOString(),
});

const withOverrides = <T extends object, O extends object>(event: T, overrides?: O) =>
  ({ ...event, ...overrides }) as unknown as WithOverrides<T, O>;

/** A content event (content.viewed), keyed by its user, with a hashtag. */
export function contentEvent<O extends object = Record<never, never>>(
  overrides?: O,
): WithOverrides<ContentEventFixture, O> {
  const event: ContentEventFixture = {
    ...envelope(),
    event_type: 'content.viewed',
    properties: { content_id: 'test-content', hashtags: ['test'] },
  };
  return withOverrides(event, overrides);
}

/** A user event (user.page_viewed); page URL and title travel in the context. */
export function userEvent<O extends object = Record<never, never>>(overrides?: O): WithOverrides<UserEventFixture, O> {
  const event: UserEventFixture = {
    ...envelope(),
    event_type: 'user.page_viewed',
    context: { page: { url: 'https://social.example/test', path: '/test', title: 'A test page' } },
    properties: {},
  };
  return withOverrides(event, overrides);
}

/** A user.identified event: the visitor's anonymous id linked to the user, with every known trait. */
export function identifyEvent<O extends object = Record<never, never>>(
  overrides?: O,
): WithOverrides<IdentifyEventFixture, O> {
  const event: IdentifyEventFixture = {
    ...envelope(),
    event_type: 'user.identified',
    anonymous_id: 'test-visitor',
    properties: { traits: { age_band: '25-34', gender: 'undisclosed', country: 'DE', signup_date: '2026-01-15' } },
  };
  return withOverrides(event, overrides);
}

/** An ad event (ad.impression) of one campaign and ad, with its cost in micros. */
export function adEvent<O extends object = Record<never, never>>(overrides?: O): WithOverrides<AdEventFixture, O> {
  const event: AdEventFixture = {
    ...envelope(),
    event_type: 'ad.impression',
    properties: { campaign_id: 'test-campaign', ad_id: 'test-ad', cost_micros: 1_500, currency: 'USD' },
  };
  return withOverrides(event, overrides);
}

export type EventFixture = ContentEventFixture | UserEventFixture | IdentifyEventFixture | AdEventFixture;

/** A valid event of any type: the fixture of its family (user.identified's own), with that event_type. */
export function eventOfType(type: EventType, overrides: object = {}): EventFixture {
  if (type === 'user.identified') return identifyEvent(overrides);
  const family = familyOf(type);
  const base = family === 'content' ? contentEvent() : family === 'ad' ? adEvent() : userEvent();
  return { ...base, event_type: type, ...overrides } as EventFixture;
}

/** A value nested `levels` objects deep ({ a: { a: … 'leaf' } }), for depth limits. */
export const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};
