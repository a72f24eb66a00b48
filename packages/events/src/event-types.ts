/** Every event type, by family. A family maps to one Kafka topic. */
export const EVENT_TYPES = {
  user: [
    'user.page_viewed',
    'user.screen_viewed',
    'user.session_started',
    'user.session_ended',
    'user.followed',
    'user.unfollowed',
    'user.logged_in',
    'user.logged_out',
    'user.profile_viewed',
    'user.searched',
    'user.identified',
  ],
  content: ['content.post_created', 'content.viewed', 'content.liked', 'content.commented', 'content.shared'],
  ad: ['ad.impression', 'ad.click', 'ad.conversion'],
} as const;

export type EventFamily = keyof typeof EVENT_TYPES;
export type UserEventType = (typeof EVENT_TYPES.user)[number];
export type ContentEventType = (typeof EVENT_TYPES.content)[number];
export type AdEventType = (typeof EVENT_TYPES.ad)[number];
export type EventType = UserEventType | ContentEventType | AdEventType;

/**
 * The schema versions the collector accepts, oldest first. A version only adds to the one before
 * it (2 added user.identified), so an event valid in an older version is valid in a newer one, and
 * clients that still send an older version keep working.
 */
export const SCHEMA_VERSIONS = [1, 2] as const;
export type SchemaVersion = (typeof SCHEMA_VERSIONS)[number];
/** The newest version: what the SDK and the test fixtures send. */
export const SCHEMA_VERSION: SchemaVersion = SCHEMA_VERSIONS[SCHEMA_VERSIONS.length - 1];

export function familyOf(type: EventType): EventFamily {
  return type.slice(0, type.indexOf('.')) as EventFamily;
}
