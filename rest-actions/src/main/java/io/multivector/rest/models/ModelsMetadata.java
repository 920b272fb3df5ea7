package io.multivector.rest.models;

import io.multivector.analysis.ModelDefinition;
import org.opensearch.Version;
import org.opensearch.cluster.AbstractNamedDiffable;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.NamedDiff;
import org.opensearch.cluster.metadata.Metadata;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registered models, in the cluster state: every node sees the same definitions, and they survive restarts
 * (persisted with the cluster metadata). Each node loads the files from its own config directory.
 */
public final class ModelsMetadata extends AbstractNamedDiffable<Metadata.Custom> implements Metadata.Custom {

    public static final String TYPE = "multivector_models";
    public static final ModelsMetadata EMPTY = new ModelsMetadata(Map.of());

    private final Map<String, ModelDefinition> models;

    public ModelsMetadata(Map<String, ModelDefinition> models) {
        this.models = Map.copyOf(models);
    }

    public ModelsMetadata(StreamInput in) throws IOException {
        Map<String, ModelDefinition> read = new HashMap<>();
        int n = in.readVInt();
        for (int i = 0; i < n; i++) {
            String id = in.readString();
            read.put(id, ModelDefinition.fromMap(id, in.readMap()));
        }
        this.models = Map.copyOf(read);
    }

    public static ModelsMetadata of(ClusterState state) {
        ModelsMetadata metadata = state.metadata().custom(TYPE);
        return metadata == null ? EMPTY : metadata;
    }

    public Map<String, ModelDefinition> models() {
        return models;
    }

    public ModelsMetadata with(ModelDefinition definition) {
        Map<String, ModelDefinition> updated = new HashMap<>(models);
        updated.put(definition.id(), definition);
        return new ModelsMetadata(updated);
    }

    public ModelsMetadata without(String id) {
        Map<String, ModelDefinition> updated = new HashMap<>(models);
        updated.remove(id);
        return new ModelsMetadata(updated);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVInt(models.size());
        for (ModelDefinition definition : new TreeMap<>(models).values()) {
            out.writeString(definition.id());
            out.writeMap(definition.toMap());
        }
    }

    public static NamedDiff<Metadata.Custom> readDiffFrom(StreamInput in) throws IOException {
        return readDiffFrom(Metadata.Custom.class, TYPE, in);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        for (ModelDefinition definition : new TreeMap<>(models).values()) {
            builder.field(definition.id(), definition.toMap());
        }
        return builder;
    }

    public static ModelsMetadata fromXContent(XContentParser parser) throws IOException {
        Map<String, ModelDefinition> read = new HashMap<>();
        for (Map.Entry<String, Object> entry : parser.map().entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) entry.getValue();
            read.put(entry.getKey(), ModelDefinition.fromMap(entry.getKey(), body));
        }
        return new ModelsMetadata(read);
    }

    @Override
    public EnumSet<Metadata.XContentContext> context() {
        return Metadata.ALL_CONTEXTS;
    }

    @Override
    public String getWriteableName() {
        return TYPE;
    }

    @Override
    public Version getMinimalSupportedVersion() {
        return Version.V_3_0_0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelsMetadata that && models.equals(that.models);
    }

    @Override
    public int hashCode() {
        return models.hashCode();
    }
}
