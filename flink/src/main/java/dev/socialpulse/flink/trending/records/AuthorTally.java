package dev.socialpulse.flink.trending.records;

import dev.socialpulse.flink.common.StringHash;
import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Mentions per author, authors by {@link StringHash their 64-bit key}: an open-addressing map from
 * {@code long} to a positive {@code int}, with no boxing. Panes and running windows hold one each,
 * and every mention and every slide updates them: a {@code HashMap<String, Integer>} spent most of
 * the job's time hashing, boxing and (in checkpoints) writing the author strings char by char.
 *
 * <p>Serialised by {@link AuthorTallySerializer} (see {@link AuthorTallyTypeInfoFactory}): the
 * pairs as two primitive columns, never Kryo.
 */
@TypeInfo(AuthorTallyTypeInfoFactory.class)
public final class AuthorTally {

    private static final int MIN_CAPACITY = 4;

    /** Slot {@code i} is taken when {@code counts[i] > 0}; keys of free slots are meaningless. */
    private long[] keys;

    private int[] counts;
    private int size;

    public AuthorTally() {
        this(0);
    }

    /** An empty tally with room for {@code expected} authors before it grows. */
    public AuthorTally(int expected) {
        int capacity = MIN_CAPACITY;
        while (capacity < expected * 2) {
            capacity <<= 1;
        }
        keys = new long[capacity];
        counts = new int[capacity];
    }

    /** Authors with a count. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The author's count; 0 when absent. */
    public int get(long author) {
        int slot = find(author);
        return slot < 0 ? 0 : counts[slot];
    }

    /**
     * Adds {@code delta} (may be negative) to the author's count; a count that falls to 0 or below
     * removes the author.
     *
     * @return the count before the change
     */
    public int add(long author, int delta) {
        int mask = keys.length - 1;
        int i = home(author);
        for (; counts[i] > 0; i = (i + 1) & mask) {
            if (keys[i] == author) {
                int before = counts[i];
                if (before + delta > 0) {
                    counts[i] = before + delta;
                } else {
                    removeAt(i);
                }
                return before;
            }
        }
        if (delta > 0) {
            if (isFullWithOneMore()) {
                insert(author, delta);
            } else {
                keys[i] = author;
                counts[i] = delta;
                size++;
            }
        }
        return 0;
    }

    /** Removes every author. */
    public void clear() {
        Arrays.fill(counts, 0);
        size = 0;
    }

    /** Calls {@code action} for every author and count, in no particular order. */
    public void forEach(Entry action) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                action.accept(keys[i], counts[i]);
            }
        }
    }

    /** A deep copy. */
    public AuthorTally copy() {
        AuthorTally copy = new AuthorTally();
        copy.keys = keys.clone();
        copy.counts = counts.clone();
        copy.size = size;
        return copy;
    }

    /** Writes the number of authors, then each author's key and count. */
    void writeTo(DataOutputView out) throws IOException {
        out.writeInt(size);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                out.writeLong(keys[i]);
                out.writeInt(counts[i]);
            }
        }
    }

    /** Reads what {@link #writeTo} wrote. */
    static AuthorTally readFrom(DataInputView in) throws IOException {
        int authors = in.readInt();
        AuthorTally tally = new AuthorTally(authors);
        for (int i = 0; i < authors; i++) {
            long key = in.readLong();
            tally.insert(key, in.readInt());
        }
        return tally;
    }

    /** One author and count. */
    @FunctionalInterface
    public interface Entry {
        void accept(long author, int count);
    }

    private int home(long key) {
        // Keys are well-mixed hashes already; fold the high bits in for short tables.
        return (int) (key ^ (key >>> 32)) & (keys.length - 1);
    }

    private int find(long key) {
        int mask = keys.length - 1;
        for (int i = home(key); counts[i] > 0; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return i;
            }
        }
        return -1;
    }

    /** At most half full: linear probing's runs stay short (2.5 probes for a miss on average). */
    private boolean isFullWithOneMore() {
        return (size + 1) * 2 > keys.length;
    }

    private void insert(long key, int count) {
        if (isFullWithOneMore()) {
            grow();
        }
        int mask = keys.length - 1;
        int i = home(key);
        while (counts[i] > 0) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        counts[i] = count;
        size++;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldCounts.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldCounts[i] > 0) {
                insert(oldKeys[i], oldCounts[i]);
            }
        }
    }

    /**
     * Linear probing's deletion: shifts later entries of the run back, so lookups need no marks.
     */
    private void removeAt(int slot) {
        int mask = keys.length - 1;
        int hole = slot;
        for (int i = (slot + 1) & mask; counts[i] > 0; i = (i + 1) & mask) {
            // The entry at i may fill the hole if the hole lies between its home and i.
            if (((i - home(keys[i])) & mask) >= ((i - hole) & mask)) {
                keys[hole] = keys[i];
                counts[hole] = counts[i];
                hole = i;
            }
        }
        counts[hole] = 0;
        size--;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof AuthorTally that) || that.size != size) {
            return false;
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0 && that.get(keys[i]) != counts[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                hash += Long.hashCode(keys[i]) * 31 + counts[i];
            }
        }
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        forEach(
                (author, count) ->
                        text.append(text.length() > 1 ? ", " : "")
                                .append(Long.toHexString(author))
                                .append('=')
                                .append(count));
        return text.append('}').toString();
    }
}
