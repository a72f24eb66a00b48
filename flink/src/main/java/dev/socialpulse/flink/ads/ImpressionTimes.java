package dev.socialpulse.flink.ads;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The impressions one {@link JoinClicks} bucket keeps: each impression's {@link
 * TaggedAdEvent#impressionKey key} with its event time, in an open-addressing table of two
 * primitive columns, with no boxing.
 *
 * <p>Why a table of its own: the join keeps every impression for the click window, half a million
 * in an hour of the benchmark's traffic. As keyed state of their own, each with its cleanup timer,
 * they made most of every checkpoint (the heap backend writes the whole state every few seconds,
 * entry by entry and timer by timer) and most of the job's garbage; in a few thousand tables, a
 * checkpoint writes each table in one piece. Serialised by {@link ImpressionTimesSerializer}.
 */
public final class ImpressionTimes {

    /** What {@link #timeOf} gives for an impression not kept. */
    public static final long ABSENT = Long.MIN_VALUE;

    private static final int MIN_CAPACITY = 4;

    /**
     * Slot {@code i} is taken when {@code times[i] != ABSENT}; keys of free slots are meaningless.
     */
    private long[] keys;

    private long[] times;
    private int size;

    /** The earliest time kept, or {@link #ABSENT} when empty. */
    private long earliest = ABSENT;

    public ImpressionTimes() {
        this(0);
    }

    /** An empty table with room for {@code expected} impressions before it grows. */
    public ImpressionTimes(int expected) {
        int capacity = MIN_CAPACITY;
        while (capacity < expected * 2) {
            capacity <<= 1;
        }
        keys = new long[capacity];
        times = new long[capacity];
        Arrays.fill(times, ABSENT);
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The event time of the impression with this key, or {@link #ABSENT}. */
    public long timeOf(long key) {
        int mask = keys.length - 1;
        for (int i = home(key); times[i] != ABSENT; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return times[i];
            }
        }
        return ABSENT;
    }

    /** The earliest event time kept, or {@link #ABSENT} when empty. */
    public long earliest() {
        return earliest;
    }

    /**
     * Keeps the impression with this key at {@code time}, unless one with this key is kept already
     * (of two impressions with one id, the first is the one joined).
     *
     * @param time an event time, never {@link #ABSENT}
     * @return whether it was kept
     */
    public boolean putIfAbsent(long key, long time) {
        int mask = keys.length - 1;
        int i = home(key);
        for (; times[i] != ABSENT; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return false;
            }
        }
        if (isFullWithOneMore()) {
            grow();
            return putIfAbsent(key, time);
        }
        keys[i] = key;
        times[i] = time;
        size++;
        if (earliest == ABSENT || time < earliest) {
            earliest = time;
        }
        return true;
    }

    /** Forgets every impression from {@code time} or earlier. */
    public void removeUpTo(long time) {
        if (earliest == ABSENT || earliest > time) {
            return;
        }
        // Removing shifts later entries of the run back into the slot: look at it again.
        for (int i = 0; i < times.length; i++) {
            while (times[i] != ABSENT && times[i] <= time) {
                removeAt(i);
            }
        }
        earliest = ABSENT;
        for (long t : times) {
            if (t != ABSENT && (earliest == ABSENT || t < earliest)) {
                earliest = t;
            }
        }
    }

    /** A deep copy. */
    public ImpressionTimes copy() {
        ImpressionTimes copy = new ImpressionTimes();
        copy.keys = keys.clone();
        copy.times = times.clone();
        copy.size = size;
        copy.earliest = earliest;
        return copy;
    }

    /**
     * Writes the number of impressions, then each one's key and time, in one piece: a checkpoint
     * stream takes a buffer at once but a long in several calls.
     */
    void writeTo(DataOutputView out) throws IOException {
        ByteBuffer pairs = ByteBuffer.allocate(size * 2 * Long.BYTES);
        for (int i = 0; i < times.length; i++) {
            if (times[i] != ABSENT) {
                pairs.putLong(keys[i]).putLong(times[i]);
            }
        }
        out.writeInt(size);
        out.write(pairs.array());
    }

    /** Reads what {@link #writeTo} wrote. */
    static ImpressionTimes readFrom(DataInputView in) throws IOException {
        int size = in.readInt();
        byte[] bytes = new byte[size * 2 * Long.BYTES];
        in.readFully(bytes);
        ByteBuffer pairs = ByteBuffer.wrap(bytes);
        ImpressionTimes table = new ImpressionTimes(size);
        for (int i = 0; i < size; i++) {
            table.putIfAbsent(pairs.getLong(), pairs.getLong());
        }
        return table;
    }

    private int home(long key) {
        // Keys are well-mixed hashes already; fold the high bits in for short tables.
        return (int) (key ^ (key >>> 32)) & (keys.length - 1);
    }

    /** At most half full: linear probing's runs stay short (2.5 probes for a miss on average). */
    private boolean isFullWithOneMore() {
        return (size + 1) * 2 > keys.length;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldTimes = times;
        reset(oldKeys.length);
        for (int i = 0; i < oldTimes.length; i++) {
            if (oldTimes[i] != ABSENT) {
                putIfAbsent(oldKeys[i], oldTimes[i]);
            }
        }
    }

    /**
     * Linear probing's deletion: shifts later entries of the run back, so lookups need no marks.
     */
    private void removeAt(int slot) {
        int mask = keys.length - 1;
        int hole = slot;
        for (int i = (slot + 1) & mask; times[i] != ABSENT; i = (i + 1) & mask) {
            // The entry at i may fill the hole if the hole lies between its home and i.
            if (((i - home(keys[i])) & mask) >= ((i - hole) & mask)) {
                keys[hole] = keys[i];
                times[hole] = times[i];
                hole = i;
            }
        }
        times[hole] = ABSENT;
        size--;
    }

    /** Empties the table, with room for {@code expected} impressions. */
    private void reset(int expected) {
        int capacity = MIN_CAPACITY;
        while (capacity < expected * 2) {
            capacity <<= 1;
        }
        keys = new long[capacity];
        times = new long[capacity];
        Arrays.fill(times, ABSENT);
        size = 0;
        earliest = ABSENT;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ImpressionTimes that) || that.size != size) {
            return false;
        }
        for (int i = 0; i < times.length; i++) {
            if (times[i] != ABSENT && that.timeOf(keys[i]) != times[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 0;
        for (int i = 0; i < times.length; i++) {
            if (times[i] != ABSENT) {
                hash += Long.hashCode(keys[i]) * 31 + Long.hashCode(times[i]);
            }
        }
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < times.length; i++) {
            if (times[i] != ABSENT) {
                text.append(text.length() > 1 ? ", " : "")
                        .append(Long.toHexString(keys[i]))
                        .append('@')
                        .append(times[i]);
            }
        }
        return text.append('}').toString();
    }
}
