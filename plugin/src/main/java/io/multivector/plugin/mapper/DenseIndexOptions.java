package io.multivector.plugin.mapper;

import org.opensearch.common.xcontent.support.XContentMapValues;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.index.mapper.MapperParsingException;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** HNSW parameters and storage precision of one {@code dense_vector} field. */
public record DenseIndexOptions(int m, int efConstruction, String elementType) implements ToXContentFragment {

    public static final DenseIndexOptions DEFAULT = new DenseIndexOptions(16, 100, "float");

    static DenseIndexOptions parse(String field, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new MapperParsingException("[index_options] of field [" + field + "] must be an object");
        }
        Map<String, Object> options = new HashMap<>();
        map.forEach((k, v) -> options.put(k.toString(), v));
        int m = XContentMapValues.nodeIntegerValue(options.remove("m"), DEFAULT.m);
        int ef = XContentMapValues.nodeIntegerValue(options.remove("ef_construction"), DEFAULT.efConstruction);
        String elementType = XContentMapValues.nodeStringValue(options.remove("element_type"), DEFAULT.elementType);
        if (options.isEmpty() == false) {
            throw new MapperParsingException("unknown [index_options] " + options.keySet() + " for field [" + field
                + "]; accepted: [m, ef_construction, element_type]");
        }
        if (m < 2 || m > 512) {
            throw new MapperParsingException("[index_options.m] must be between 2 and 512 for field [" + field + "], got [" + m + "]");
        }
        if (ef < 1 || ef > 4096) {
            throw new MapperParsingException("[index_options.ef_construction] must be between 1 and 4096 for field [" + field + "], got [" + ef + "]");
        }
        if (elementType.equals("float") == false && elementType.equals("int8") == false) {
            throw new MapperParsingException("[index_options.element_type] must be [float] or [int8] for field [" + field + "], got ["
                + elementType + "]");
        }
        return new DenseIndexOptions(m, ef, elementType);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject().field("m", m).field("ef_construction", efConstruction).field("element_type", elementType).endObject();
    }

    @Override
    public String toString() {
        return "{m=" + m + ", ef_construction=" + efConstruction + ", element_type=" + elementType + "}";
    }
}
