package io.multivector.rest.stats;

import io.multivector.analysis.ModelRegistry.ModelInfo;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Map;

/** One model in one node: what it is, whether it is loaded, and its counters. */
public record ModelStats(String id, String kind, int dims, boolean builtIn, boolean loaded, long memoryBytes, long inferences,
                         long documents, double meanMillis, double p99Millis) implements Writeable, ToXContentFragment {

    public static ModelStats of(ModelInfo info) {
        var stats = info.stats();
        return new ModelStats(info.id(), info.kind().jsonName(), info.dims(), info.builtIn(), info.loaded(), info.memoryBytes(),
            stats == null ? 0 : stats.inferences(), stats == null ? 0 : stats.documents(), stats == null ? 0 : stats.meanMillis(),
            stats == null ? 0 : stats.p99Millis());
    }

    public ModelStats(StreamInput in) throws IOException {
        this(in.readString(), in.readString(), in.readVInt(), in.readBoolean(), in.readBoolean(), in.readVLong(), in.readVLong(),
            in.readVLong(), in.readDouble(), in.readDouble());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(id);
        out.writeString(kind);
        out.writeVInt(dims);
        out.writeBoolean(builtIn);
        out.writeBoolean(loaded);
        out.writeVLong(memoryBytes);
        out.writeVLong(inferences);
        out.writeVLong(documents);
        out.writeDouble(meanMillis);
        out.writeDouble(p99Millis);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return toXContent(builder, null, null);
    }

    /**
     * With the registration's parameters under {@code definition} (a registered model; null for a built-in one) and the
     * effective text encoding under {@code encoding} (text_dense and text_tokens models; else null).
     */
    public XContentBuilder toXContent(XContentBuilder builder, Map<String, Object> definition, Map<String, Object> encoding)
        throws IOException {
        builder.startObject(id);
        if (definition != null) {
            builder.field("definition", definition);
        }
        if (encoding != null) {
            builder.field("encoding", encoding);
        }
        builder.field("kind", kind).field("dims", dims).field("built_in", builtIn).field("loaded", loaded).field("memory_bytes", memoryBytes);
        builder.field("inferences", inferences).field("documents", documents);
        builder.startObject("latency_ms").field("mean", meanMillis).field("p99", p99Millis).endObject();
        return builder.endObject();
    }
}
