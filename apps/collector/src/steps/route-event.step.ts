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

/**
 * One topic per family; keyed by user (or visitor) so one user's events stay in order. A prefix
 * (COLLECTOR_TOPIC_PREFIX) moves every topic aside, e.g. for a benchmark on a shared cluster.
 */
export function createRouteEventStep(topicPrefix = '') {
  return (event: EnrichedEvent): KafkaRecord => ({
    topic: topicPrefix + TOPIC_OF[familyOf(event.event_type)],
    key: event.user_id ?? event.anonymous_id!,
    value: JSON.stringify(event),
  });
}
