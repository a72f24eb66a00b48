package dev.socialpulse.flink.clickhouse;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Serializable;

/**
 * Writes one row as a JSON object for ClickHouse's {@code JSONEachRow} format: one field per
 * column, named as the column. Format DateTime64 columns with {@link ClickHouseFormats}.
 */
@FunctionalInterface
public interface JsonRowEncoder<T> extends Serializable {

    void encode(T row, JsonGenerator json) throws IOException;
}
