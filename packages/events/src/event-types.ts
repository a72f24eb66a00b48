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
  ],
  content: ['content.post_created', 'content.viewed', 'content.liked', 'content.commented', 'content.shared'],
  ad: ['ad.impression', 'ad.click', 'ad.conversion'],
} as const;

export type EventFamily = keyof typeof EVENT_TYPES;
export type UserEventType = (typeof EVENT_TYPES.user)[number];
export type ContentEventType = (typeof EVENT_TYPES.content)[number];
export type AdEventType = (typeof EVENT_TYPES.ad)[number];
export type EventType = UserEventType | ContentEventType | AdEventType;

export const SCHEMA_VERSION = 1;

export function familyOf(type: EventType): EventFamily {
  return type.slice(0, type.indexOf('.')) as EventFamily;
}
