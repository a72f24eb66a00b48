import { familyOf, type EventFamily } from '@social-pulse/events';
import { TOPICS } from '@social-pulse/shared';
import type { EnrichedEvent } from './enrich-event.step';

const TOPIC_OF: Record<EventFamily, string> = {
  user: TOPICS.userEvents,
  content: TOPICS.contentEvents,
  ad: TOPICS.adEvents,
};

export interface KafkaRecord {
  topic: string;
  key: string;
  value: string;
}

/** One topic per family; keyed by user (or visitor) so one user's events stay in order. */
export function createRouteEventStep() {
  return (event: EnrichedEvent): KafkaRecord => ({
    topic: TOPIC_OF[familyOf(event.event_type)],
    key: event.user_id ?? event.anonymous_id!,
    value: JSON.stringify(event),
  });
}
