package dev.socialpulse.flink.archive;

/**
 * One event the collector rejected, as the {@code dead_letters} table keeps it.
 *
 * @param receivedAt when the collector received it, epoch milliseconds
 * @param reasonCode the collector's bounded reason code ({@code DEAD_LETTER_REASONS} in
 *     packages/events); {@code other} when absent
 * @param reason the validation's full reason
 * @param eventId the {@code event_id} the event carried, if it was a string; else empty
 * @param excerpt the event as sent, JSON (or the collector's excerpt of a large one)
 */
public record DeadLetter(
        long receivedAt, String reasonCode, String reason, String eventId, String excerpt) {}
