package io.multivector.plugin.query;

import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.MappingMetadata;
import org.opensearch.cluster.service.ClusterService;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Finds, on the coordinating node, which model a vector field was mapped with: query texts are encoded there,
 * once per request, before the shards see the query. A field name mapped with different models in different
 * indices is ambiguous, and the query must then name its model.
 */
public final class FieldModels {

    /** The field's type, dims and model in the mappings; the model is null when none is mapped. */
    public record Mapped(String type, int dims, String model) {}

    private final ClusterService clusterService;

    public FieldModels(ClusterService clusterService) {
        this.clusterService = clusterService;
    }

    public Mapped resolve(String field) {
        Set<Mapped> found = new HashSet<>();
        for (IndexMetadata index : clusterService.state().metadata().indices().values()) {
            MappingMetadata mapping = index.mapping();
            if (mapping != null) {
                Mapped mapped = find(mapping.sourceAsMap(), field);
                if (mapped != null) {
                    found.add(mapped);
                }
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("field [" + field + "] is not mapped as a multi_vector or dense_vector field in any index");
        }
        if (found.size() > 1) {
            throw new IllegalArgumentException("field [" + field + "] is mapped differently in several indices " + found
                + "; name the [model] in the query");
        }
        return found.iterator().next();
    }

    /** The field as mapped in one index, or null when that index has no such vector field. */
    public Mapped resolve(String index, String field) {
        IndexMetadata metadata = clusterService.state().metadata().index(index);
        if (metadata == null || metadata.mapping() == null) {
            return null;
        }
        return find(metadata.mapping().sourceAsMap(), field);
    }

    @SuppressWarnings("unchecked")
    private static Mapped find(Map<String, Object> mapping, String field) {
        Map<String, Object> level = mapping;
        String[] path = field.split("\\.");
        for (int i = 0; i < path.length; i++) {
            Object properties = level.get("properties");
            if (properties instanceof Map<?, ?> == false) {
                return null;
            }
            Object child = ((Map<String, Object>) properties).get(path[i]);
            if (child instanceof Map<?, ?> == false) {
                return null;
            }
            level = (Map<String, Object>) child;
        }
        Object type = level.get("type");
        if ("multi_vector".equals(type) || "dense_vector".equals(type)) {
            Object model = level.get("model");
            Object dims = level.get("dims");
            return new Mapped((String) type, dims instanceof Number n ? n.intValue() : -1, model == null ? null : model.toString());
        }
        return null;
    }
}
