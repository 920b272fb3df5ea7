package io.multivector.plugin.fusion;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The fusion parameters a request, a {@code multivector_fusion} processor or the built-in defaults set: each is
 * null where that layer leaves it to the next ({@link #orElse}); {@link #resolve} checks the merged whole.
 */
record FusionOptions(String method, Integer rankConstant, String normalization, List<Double> weights, Integer windowSize)
    implements Writeable, ToXContentFragment {

    static final String METHOD = "method", RANK_CONSTANT = "rank_constant", NORMALIZATION = "normalization", WEIGHTS = "weights",
        WINDOW_SIZE = "window_size";
    static final Set<String> KEYS = Set.of(METHOD, RANK_CONSTANT, NORMALIZATION, WEIGHTS, WINDOW_SIZE);

    static final int MAX_WINDOW = 10_000;
    static final FusionOptions BUILT_IN = new FusionOptions(RrfFusion.NAME, 60, "min_max", null, 100);
    static final FusionOptions NONE = new FusionOptions(null, null, null, null, null);

    FusionOptions {
        if (method != null) {
            FusionMethod.of(method);
        }
        if (normalization != null) {
            Normalization.of(normalization);
        }
        if (rankConstant != null && rankConstant < 1) {
            throw new IllegalArgumentException("[fusion] [rank_constant] must be at least 1, got [" + rankConstant + "]");
        }
        if (windowSize != null && (windowSize < 1 || windowSize > MAX_WINDOW)) {
            throw new IllegalArgumentException("[fusion] [window_size] must be between 1 and " + MAX_WINDOW + ", got [" + windowSize + "]");
        }
        if (weights != null) {
            for (Double weight : weights) {
                if (weight == null || Double.isFinite(weight) == false || weight < 0) {
                    throw new IllegalArgumentException("[fusion] [weights] must be non-negative numbers, got " + weights);
                }
            }
            weights = List.copyOf(weights);
        }
    }

    FusionOptions(StreamInput in) throws IOException {
        this(in.readOptionalString(), in.readOptionalVInt(), in.readOptionalString(),
            in.readBoolean() ? in.readList(StreamInput::readDouble) : null, in.readOptionalVInt());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeOptionalString(method);
        out.writeOptionalVInt(rankConstant);
        out.writeOptionalString(normalization);
        out.writeBoolean(weights != null);
        if (weights != null) {
            out.writeCollection(weights, StreamOutput::writeDouble);
        }
        out.writeOptionalVInt(windowSize);
    }

    /** This layer's values, and the other's where this one has none. */
    FusionOptions orElse(FusionOptions other) {
        return new FusionOptions(method != null ? method : other.method, rankConstant != null ? rankConstant : other.rankConstant,
            normalization != null ? normalization : other.normalization, weights != null ? weights : other.weights,
            windowSize != null ? windowSize : other.windowSize);
    }

    /** The effective options for a fusion of {@code subqueries} lists, every value set; a clear 400 when they do not fit. */
    FusionOptions resolve(FusionOptions defaults, int subqueries) {
        FusionOptions merged = orElse(defaults).orElse(BUILT_IN);
        merged.checkWeights(subqueries);
        if (normalization != null && LinearFusion.NAME.equals(merged.method) == false) {
            throw new IllegalArgumentException("[fusion] [normalization] applies to method [linear] only, not [" + merged.method + "]");
        }
        return merged;
    }

    /** Weights are positional: one per subquery, or none. */
    void checkWeights(int subqueries) {
        if (weights != null && weights.size() != subqueries) {
            throw new IllegalArgumentException("[fusion] has " + subqueries + " [queries] but " + weights.size()
                + " [weights]: give one weight per subquery");
        }
    }

    double weight(int subquery) {
        return weights == null ? 1 : weights.get(subquery);
    }

    FusionMethod fusionMethod() {
        return FusionMethod.of(method);
    }

    Normalization normalizationMethod() {
        return Normalization.of(normalization);
    }

    /** From a processor's configuration map (the keys it takes are removed from it, as OpenSearch's processors do). */
    static FusionOptions fromConfig(Map<String, Object> config) {
        Object weights = config.remove(WEIGHTS);
        if (weights != null && weights instanceof List<?> == false) {
            throw new IllegalArgumentException("[multivector_fusion] [weights] must be an array of numbers");
        }
        return new FusionOptions((String) config.remove(METHOD), toInteger(config.remove(RANK_CONSTANT), RANK_CONSTANT),
            (String) config.remove(NORMALIZATION), weights == null ? null : ((List<?>) weights).stream().map(w -> toDouble(w)).toList(),
            toInteger(config.remove(WINDOW_SIZE), WINDOW_SIZE));
    }

    private static Integer toInteger(Object value, String key) {
        if (value == null) {
            return null;
        }
        if (value instanceof Integer i) {
            return i;
        }
        throw new IllegalArgumentException("[multivector_fusion] [" + key + "] must be an integer, got [" + value + "]");
    }

    private static Double toDouble(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("[multivector_fusion] [weights] must be numbers, got [" + value + "]");
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        if (method != null) {
            builder.field(METHOD, method);
        }
        if (rankConstant != null) {
            builder.field(RANK_CONSTANT, rankConstant);
        }
        if (normalization != null) {
            builder.field(NORMALIZATION, normalization);
        }
        if (weights != null) {
            builder.field(WEIGHTS, weights);
        }
        if (windowSize != null) {
            builder.field(WINDOW_SIZE, windowSize);
        }
        return builder;
    }

    boolean isEmpty() {
        return Objects.equals(this, NONE);
    }
}
