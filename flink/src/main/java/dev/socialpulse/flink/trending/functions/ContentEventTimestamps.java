package dev.socialpulse.flink.trending.functions;

import dev.socialpulse.flink.trending.records.ContentEvent;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/** Event time of a content event: its {@code event_time}, not the Kafka record's timestamp. */
public class ContentEventTimestamps implements SerializableTimestampAssigner<ContentEvent> {

    private static final long serialVersionUID = 1L;

    @Override
    public long extractTimestamp(ContentEvent event, long recordTimestamp) {
        return event.eventTimeMillis();
    }
}
