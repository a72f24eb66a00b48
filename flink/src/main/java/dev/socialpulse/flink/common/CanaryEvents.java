package dev.socialpulse.flink.common;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The canary's marker: the collector sets {@code "canary": true} on the events of requests made
 * with the canary's write key, and refuses the field on any other (packages/events, the {@code
 * canary} envelope field). The canary measures the pipeline end to end; no dashboard number may
 * count its events.
 */
public final class CanaryEvents {

    /** The event's top-level field that marks it. */
    public static final String FIELD = "canary";

    private CanaryEvents() {}

    /** Whether the event is the canary's: only a JSON {@code true} marks it. */
    public static boolean isCanary(JsonNode event) {
        return event.path(FIELD).isBoolean() && event.path(FIELD).booleanValue();
    }
}
