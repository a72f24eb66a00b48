package dev.socialpulse.flink.common;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The canary's marker: the collector sets {@code "canary": true} on the events of requests made
 * with the canary's write key, and refuses the field on any other (packages/events, the {@code
 * canary} envelope field). The canary measures the pipeline end to end; no dashboard number may
 * count its events.
 *
 * <p>A job that lets the canary's events through its operators files them under ids of their own,
 * {@value #ID_PREFIX} and the id the event gave ({@link #id}): the Session Analyzer the visitor,
 * the Ad Performance Calculator the visitor and the campaign. Those ids reach the sink like any
 * other, where the dashboards' queries and views leave them out and the canary's route of the API
 * shows them (CANARY_ID_PREFIX of packages/events: the same value). The collector refuses the
 * prefix in the ids of any other event, so no user's visitor or campaign takes that form.
 */
public final class CanaryEvents {

    /** The event's top-level field that marks it. */
    public static final String FIELD = "canary";

    /** What starts the canary's visitor and campaign ids; must equal CANARY_ID_PREFIX. */
    public static final String ID_PREFIX = "CANARY:";

    private CanaryEvents() {}

    /** Whether the event is the canary's: only a JSON {@code true} marks it. */
    public static boolean isCanary(JsonNode event) {
        return event.path(FIELD).isBoolean() && event.path(FIELD).booleanValue();
    }

    /** The canary's own form of an id of its event (empty stays empty: absent is absent). */
    public static String id(String id) {
        return id.isEmpty() || id.startsWith(ID_PREFIX) ? id : ID_PREFIX + id;
    }

    /** Whether an id is the canary's. */
    public static boolean isCanaryId(String id) {
        return id.startsWith(ID_PREFIX);
    }
}
