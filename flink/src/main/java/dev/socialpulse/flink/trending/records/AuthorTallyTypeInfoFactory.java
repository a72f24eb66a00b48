package dev.socialpulse.flink.trending.records;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Tells Flink's type extraction to serialise {@link AuthorTally} with {@link
 * AuthorTallySerializer}.
 */
public final class AuthorTallyTypeInfoFactory extends TypeInfoFactory<AuthorTally> {

    @Override
    public TypeInformation<AuthorTally> createTypeInfo(
            Type type, Map<String, TypeInformation<?>> genericParameters) {
        return new AuthorTallyTypeInfo();
    }

    /** The type information of {@link AuthorTally}: not a key type, one field. */
    public static final class AuthorTallyTypeInfo extends TypeInformation<AuthorTally> {

        private static final long serialVersionUID = 1L;

        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<AuthorTally> getTypeClass() {
            return AuthorTally.class;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<AuthorTally> createSerializer(SerializerConfig config) {
            return AuthorTallySerializer.INSTANCE;
        }

        @Override
        public String toString() {
            return "AuthorTally";
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof AuthorTallyTypeInfo;
        }

        @Override
        public int hashCode() {
            return AuthorTallyTypeInfo.class.hashCode();
        }

        @Override
        public boolean canEqual(Object other) {
            return other instanceof AuthorTallyTypeInfo;
        }
    }
}
