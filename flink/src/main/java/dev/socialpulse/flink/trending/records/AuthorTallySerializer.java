package dev.socialpulse.flink.trending.records;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Flink's serializer of {@link AuthorTally}: the count of authors, then (key, count) pairs. */
public final class AuthorTallySerializer extends TypeSerializerSingleton<AuthorTally> {

    private static final long serialVersionUID = 1L;

    public static final AuthorTallySerializer INSTANCE = new AuthorTallySerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public AuthorTally createInstance() {
        return new AuthorTally();
    }

    @Override
    public AuthorTally copy(AuthorTally from) {
        return from.copy();
    }

    @Override
    public AuthorTally copy(AuthorTally from, AuthorTally reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(AuthorTally record, DataOutputView target) throws IOException {
        record.writeTo(target);
    }

    @Override
    public AuthorTally deserialize(DataInputView source) throws IOException {
        return AuthorTally.readFrom(source);
    }

    @Override
    public AuthorTally deserialize(AuthorTally reuse, DataInputView source) throws IOException {
        return AuthorTally.readFrom(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int authors = source.readInt();
        target.writeInt(authors);
        target.write(source, authors * (Long.BYTES + Integer.BYTES));
    }

    @Override
    public TypeSerializerSnapshot<AuthorTally> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration; restoring needs only its class. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<AuthorTally> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
