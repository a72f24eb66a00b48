package dev.socialpulse.flink.ads;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink's serializer of {@link ImpressionTimes}: the count of impressions, then (key, time) pairs.
 * {@link JoinClicks} names it in its state descriptor.
 */
public final class ImpressionTimesSerializer extends TypeSerializerSingleton<ImpressionTimes> {

    private static final long serialVersionUID = 1L;

    public static final ImpressionTimesSerializer INSTANCE = new ImpressionTimesSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public ImpressionTimes createInstance() {
        return new ImpressionTimes();
    }

    @Override
    public ImpressionTimes copy(ImpressionTimes from) {
        return from.copy();
    }

    @Override
    public ImpressionTimes copy(ImpressionTimes from, ImpressionTimes reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ImpressionTimes record, DataOutputView target) throws IOException {
        record.writeTo(target);
    }

    @Override
    public ImpressionTimes deserialize(DataInputView source) throws IOException {
        return ImpressionTimes.readFrom(source);
    }

    @Override
    public ImpressionTimes deserialize(ImpressionTimes reuse, DataInputView source)
            throws IOException {
        return ImpressionTimes.readFrom(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int impressions = source.readInt();
        // Through an array: a DataOutputSerializer target does not grow for write(source, n).
        byte[] pairs = new byte[impressions * 2 * Long.BYTES];
        source.readFully(pairs);
        target.writeInt(impressions);
        target.write(pairs);
    }

    @Override
    public TypeSerializerSnapshot<ImpressionTimes> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration; restoring needs only its class. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ImpressionTimes> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
