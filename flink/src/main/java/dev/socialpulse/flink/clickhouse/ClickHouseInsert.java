package dev.socialpulse.flink.clickhouse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * One insert that the exactly-once sink commits: {@code JSONEachRow} rows and the deduplication
 * token ClickHouse knows them by. It sits in the checkpoint until committed, so a commit retried
 * after a restore sends the same token and ClickHouse keeps the rows once.
 *
 * @param token unique per insert: the writer's id and the insert's sequence number
 * @param rows how many rows {@code body} holds
 * @param body the rows, one JSON object per line
 */
public record ClickHouseInsert(String token, int rows, byte[] body) {

    /** Writes the token, the row count and the body; version 1. */
    public static final class Serializer implements SimpleVersionedSerializer<ClickHouseInsert> {

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(ClickHouseInsert insert) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(insert.body().length + 64);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(insert.token());
                out.writeInt(insert.rows());
                out.writeInt(insert.body().length);
                out.write(insert.body());
            }
            return bytes.toByteArray();
        }

        @Override
        public ClickHouseInsert deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("unknown ClickHouseInsert version " + version);
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                String token = in.readUTF();
                int rows = in.readInt();
                byte[] body = new byte[in.readInt()];
                in.readFully(body);
                return new ClickHouseInsert(token, rows, body);
            }
        }
    }
}
