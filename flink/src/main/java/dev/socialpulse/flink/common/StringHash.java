package dev.socialpulse.flink.common;

/**
 * A string's 64-bit hash, as a compact key in state: authors are counted by it (see {@link
 * AuthorTally}). FNV-1a over the string's chars, then MurmurHash3's finaliser so that every bit of
 * the hash depends on every char.
 *
 * <p>Two authors sharing a hash would count as one. Among n authors in one window that happens with
 * probability about n² / 2^65: 3 × 10^-8 for a million authors. An account that chose its id to
 * collide with another could only merge its mentions into that author's, which the cap per author
 * then damps: a collision never adds weight.
 */
public final class StringHash {

    private StringHash() {}

    /** FNV's offset basis: the seed of {@link #of(String)}. */
    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;

    /** The hash of {@code text}. */
    public static long of(String text) {
        return of(text, FNV_OFFSET_BASIS);
    }

    /** A hash of {@code text} that collides independently of {@link #of(String)}'s. */
    public static long of(String text, long seed) {
        long hash = seed;
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        return hash ^ (hash >>> 33);
    }
}
