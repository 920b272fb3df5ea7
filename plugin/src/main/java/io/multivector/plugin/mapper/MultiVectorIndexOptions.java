package io.multivector.plugin.mapper;

import io.multivector.codec.MultiVectorCodec;
import io.multivector.codec.candidates.FixedDimensionalEncoding;
import org.opensearch.common.xcontent.support.XContentMapValues;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.index.mapper.MapperParsingException;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The candidate (first-stage) index of a {@code multi_vector} field: {@code fde_hnsw}, one MUVERA fixed-dimensional
 * encoding per document in an HNSW graph, from which approximate {@code vector} queries take their candidates.
 */
public record MultiVectorIndexOptions(int kSim, int dProj, int repetitions, long seed, int m, int efConstruction, String elementType)
    implements ToXContentFragment {

    public static final String TYPE = "fde_hnsw";
    static final String ACCEPTED = "[type, k_sim, d_proj, repetitions, seed, m, ef_construction, element_type]";

    static MultiVectorIndexOptions parse(String field, int dims, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new MapperParsingException("[index_options] of field [" + field + "] must be an object, e.g. {\"type\": \"" + TYPE + "\"}");
        }
        Map<String, Object> options = new HashMap<>();
        map.forEach((k, v) -> options.put(k.toString(), v));
        Object type = options.remove("type");
        if (TYPE.equals(type) == false) {
            throw new MapperParsingException("[index_options.type] of field [" + field + "] must be [" + TYPE + "], got [" + type + "]");
        }
        int kSim = XContentMapValues.nodeIntegerValue(options.remove("k_sim"), 4);
        int dProj = XContentMapValues.nodeIntegerValue(options.remove("d_proj"), Math.min(16, Math.max(dims, 1)));
        int repetitions = XContentMapValues.nodeIntegerValue(options.remove("repetitions"), 10);
        long seed = XContentMapValues.nodeLongValue(options.remove("seed"), 42L);
        DenseIndexOptions graph = DenseIndexOptions.parse(field, Map.of(
            "m", options.getOrDefault("m", DenseIndexOptions.DEFAULT.m()),
            "ef_construction", options.getOrDefault("ef_construction", DenseIndexOptions.DEFAULT.efConstruction()),
            "element_type", options.getOrDefault("element_type", "int8")));
        options.keySet().removeAll(java.util.List.of("m", "ef_construction", "element_type"));
        if (options.isEmpty() == false) {
            throw new MapperParsingException("unknown [index_options] " + options.keySet() + " for field [" + field + "]; accepted: " + ACCEPTED);
        }
        check(field, "k_sim", kSim, 0, FixedDimensionalEncoding.MAX_K_SIM);
        check(field, "d_proj", dProj, 1, dims);
        check(field, "repetitions", repetitions, 1, 64);
        long encoded = FixedDimensionalEncoding.dimensions(kSim, dProj, repetitions);
        if (encoded > MultiVectorCodec.MAX_DENSE_DIMS) {
            throw new MapperParsingException("[index_options] of field [" + field + "] encode documents in repetitions * 2^k_sim * d_proj = ["
                + encoded + "] dimensions, more than the [" + MultiVectorCodec.MAX_DENSE_DIMS + "] a vector index takes: lower one of them");
        }
        return new MultiVectorIndexOptions(kSim, dProj, repetitions, seed, graph.m(), graph.efConstruction(), graph.elementType());
    }

    private static void check(String field, String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new MapperParsingException("[index_options." + name + "] must be between " + min + " and " + max + " for field [" + field
                + "], got [" + value + "]");
        }
    }

    public FixedDimensionalEncoding encoding(int dims) {
        return new FixedDimensionalEncoding(dims, kSim, dProj, repetitions, seed);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject().field("type", TYPE).field("k_sim", kSim).field("d_proj", dProj).field("repetitions", repetitions)
            .field("seed", seed).field("m", m).field("ef_construction", efConstruction).field("element_type", elementType).endObject();
    }

    @Override
    public String toString() {
        return "{type=" + TYPE + ", k_sim=" + kSim + ", d_proj=" + dProj + ", repetitions=" + repetitions + ", seed=" + seed + ", m=" + m
            + ", ef_construction=" + efConstruction + ", element_type=" + elementType + "}";
    }
}
