/**
 * The canary measures the pipeline end to end with events of its own (apps/worker's canary runner).
 * The collector sets this top-level field, `true`, on the events of requests made with the canary's
 * write key, and rejects any other event that carries it: only the canary may mark an event. Every
 * job lets a marked event through to its sink or skips it, so no dashboard number counts it
 * (flink/, CanaryEvents).
 */
export const CANARY_FIELD = 'canary';

/**
 * The trending job counts the canary's hashtags under topics of their own, this prefix and the
 * normalised hashtag, after the top N (flink/, CanaryTopics.PREFIX: the same value). Normalised
 * hashtags are lower case, so no user's topic starts with it; the API keeps these topics out of its
 * answers and shows them only to the canary.
 */
export const CANARY_TOPIC_PREFIX = 'CANARY:';

/**
 * The sessions and ads jobs let the canary's events through under ids of their own, this prefix and
 * the id the event gave: the visitor of a session (`sessions.user_id`), the visitor and campaign of
 * an ad event (`ad_performance_*.campaign_id`) (flink/, CanaryEvents.ID_PREFIX: the same value). The
 * collector refuses it in the ids of any other event (CANARY_ID_CLAIM_REASON), so no user's visitor
 * or campaign takes that form; the API keeps those sessions and campaigns out of its answers and the
 * session rollups out of their views, and shows them only to the canary.
 */
export const CANARY_ID_PREFIX = 'CANARY:';

/** The canary's public write key on one machine (the collector's and the worker's default); production refuses it. */
export const DEV_CANARY_WRITE_KEY = 'pulse-dev-canary-key';

/** Why an event that claims the marker without the canary's key is rejected. */
export const CANARY_CLAIM_REASON = `${CANARY_FIELD}: only the canary's write key may send marked events; remove the field`;

/** Why an event of another key whose ids take the canary's form is rejected (the field named in front). */
export const CANARY_ID_CLAIM_REASON = `only the canary's events may have ids that start with ${CANARY_ID_PREFIX}`;
