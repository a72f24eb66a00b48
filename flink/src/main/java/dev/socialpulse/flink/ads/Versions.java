package dev.socialpulse.flink.ads;

import java.util.ArrayList;
import java.util.List;

/**
 * A key's versions in event time, oldest first, each holding until the next one's {@code
 * validFrom}. Lists are never changed in place: every change returns a new list (or the same one
 * when nothing changed), which the caller writes back to its state.
 */
final class Versions {

    private Versions() {}

    /** The version holding at {@code time}, or {@code null} if none did yet. */
    static <V extends Versioned<V>> V inForceAt(List<V> versions, long time) {
        V inForce = null;
        for (V version : versions) {
            if (version.validFrom() > time) {
                break;
            }
            inForce = version;
        }
        return inForce;
    }

    /**
     * {@code versions} with {@code added} in its place. A version that repeats the value already
     * holding at its time adds nothing (a user signing in again, a resent identify), and the next
     * version is dropped when {@code added} now reaches back over it with the same value. Of two
     * versions from the same millisecond the later arrival wins.
     */
    static <V extends Versioned<V>> List<V> with(List<V> versions, V added) {
        int at = 0;
        while (at < versions.size() && versions.get(at).validFrom() <= added.validFrom()) {
            at++;
        }
        V before = at == 0 ? null : versions.get(at - 1);
        if (before != null && before.sameValueAs(added)) {
            return versions;
        }
        List<V> result = new ArrayList<>(versions.size() + 1);
        result.addAll(versions.subList(0, at));
        if (before != null && before.validFrom() == added.validFrom()) {
            result.remove(result.size() - 1);
        }
        result.add(added);
        int next = at;
        if (next < versions.size() && versions.get(next).sameValueAs(added)) {
            next++;
        }
        result.addAll(versions.subList(next, versions.size()));
        return result;
    }

    /**
     * {@code versions} without those a version from {@code time} or earlier superseded: no event
     * they held for can still be looked up.
     */
    static <V extends Versioned<V>> List<V> withoutSupersededBy(List<V> versions, long time) {
        int first = 0;
        while (first + 1 < versions.size() && versions.get(first + 1).validFrom() <= time) {
            first++;
        }
        return first == 0 ? versions : new ArrayList<>(versions.subList(first, versions.size()));
    }
}
