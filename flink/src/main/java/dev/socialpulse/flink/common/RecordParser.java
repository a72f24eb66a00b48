package dev.socialpulse.flink.common;

/** Turns one Kafka record value into a {@code T}. Not thread-safe: one per source reader. */
@FunctionalInterface
public interface RecordParser<T> {

    /**
     * @return the record, or {@code null} for a well-formed record the job does not use: skipped,
     *     not counted as malformed
     * @throws MalformedRecordException when the bytes are not a usable {@code T}
     */
    T parse(byte[] bytes) throws MalformedRecordException;

    /** The bytes are not a record the job can use. Counted and dropped, never fatal. */
    final class MalformedRecordException extends Exception {
        private static final long serialVersionUID = 1L;

        public MalformedRecordException(String message) {
            super(message, null, false, false);
        }
    }
}
