package dev.socialpulse.flink.clickhouse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes rows for {@code JSONEachRow} inserts. Strings pass through {@link #wellFormed}: a lone
 * UTF-16 surrogate (JavaScript lets a client send one, the collector keeps it) would be written as
 * an escape like {@code \ud800} that ClickHouse refuses, failing the whole insert, and with it the
 * job on every restart. It becomes U+FFFD, as any UTF-8 decoder would make of it.
 */
public final class ClickHouseJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private ClickHouseJson() {}

    /** A generator of rows into {@code out}; close it after each row. */
    public static JsonGenerator generator(OutputStream out) throws IOException {
        return new WellFormedStrings(FACTORY.createGenerator(out));
    }

    /** {@code text} with every unpaired surrogate replaced by U+FFFD; itself when there is none. */
    public static String wellFormed(String text) {
        if (text == null) {
            return null;
        }
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            if (chars == null) {
                chars = text.toCharArray();
            }
            chars[i] = '\uFFFD';
        }
        return chars == null ? text : new String(chars);
    }

    private static final class WellFormedStrings extends JsonGeneratorDelegate {
        WellFormedStrings(JsonGenerator delegate) {
            super(delegate, false);
        }

        @Override
        public void writeString(String text) throws IOException {
            delegate.writeString(wellFormed(text));
        }

        @Override
        public void writeStringField(String fieldName, String value) throws IOException {
            delegate.writeFieldName(fieldName);
            delegate.writeString(wellFormed(value));
        }
    }
}
