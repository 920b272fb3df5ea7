package io.multivector.plugin.query;

import io.multivector.analysis.encoder.Encoder;
import io.multivector.plugin.mapper.MultiVectorFieldMapper;
import io.multivector.rest.inference.InferenceService;
import org.opensearch.action.support.GroupedActionListener;
import org.opensearch.core.action.ActionListener;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which models a {@code query_text} / {@code query_image} is encoded with, and the encoding itself, on the coordinating
 * node. A search over several indices that map the field with different models is legitimate (each index was embedded
 * with its own model): the input is encoded once per distinct model, and each shard takes the vectors of its own
 * index's model. A model named in the query is used for every index.
 */
final class QueryEncodings {

    private QueryEncodings() {}

    /** The distinct models to encode with, after checking that each fits the field in every index it is used for. */
    static TreeSet<String> plan(InferenceService inference, FieldModels.Targets targets, String field, String model, boolean image) {
        TreeSet<String> models = new TreeSet<>();
        Map<String, FieldModels.Mapped> byIndex = targets.byIndex();
        if (byIndex.isEmpty()) {
            if (model != null && targets.remote()) {
                models.add(model); // only remote clusters map the field: their shards check the vectors against it
                return models;
            }
            throw new IllegalArgumentException("[" + VectorQueryBuilder.NAME + "] field [" + field
                + "] is not a multi_vector or dense_vector field in the indices searched " + FieldModels.names(targets.searched()));
        }
        boolean several = byIndex.size() > 1;
        for (Map.Entry<String, FieldModels.Mapped> entry : byIndex.entrySet()) {
            FieldModels.Mapped mapped = entry.getValue();
            String where = several ? " in index [" + entry.getKey() + "]" : "";
            String id = model != null ? model : mapped.model();
            if (id == null) {
                throw new IllegalArgumentException("[" + VectorQueryBuilder.NAME + "] field [" + field + "] has no [model] in its mapping" + where
                    + "; name the [model] in the query");
            }
            Encoder encoder = inference.encoder(id);
            boolean multiField = MultiVectorFieldMapper.CONTENT_TYPE.equals(mapped.type());
            if (encoder.kind().isMultiVector() != multiField) {
                throw new IllegalArgumentException("[" + VectorQueryBuilder.NAME + "] model [" + id + "] is [" + encoder.kind().jsonName()
                    + "], which does not fit field [" + field + "] of type [" + mapped.type() + "]" + where);
            }
            if (encoder.kind().takesImages() != image) {
                throw new IllegalArgumentException("[" + VectorQueryBuilder.NAME + "] model [" + id + "] (" + encoder.kind().jsonName() + ") encodes "
                    + (encoder.kind().takesImages() ? "images: use [query_image]" : "texts: use [query_text]"));
            }
            models.add(id);
        }
        return models;
    }

    /** Encodes the input with every model (each through the query cache); the vectors by model, or the first failure. */
    static void encode(InferenceService inference, Collection<String> models, String input, boolean image,
                       ActionListener<Map<String, float[][]>> listener) {
        GroupedActionListener<Map.Entry<String, float[][]>> all = new GroupedActionListener<>(ActionListener.wrap(results -> {
            Map<String, float[][]> byModel = new TreeMap<>();
            results.forEach(result -> byModel.put(result.getKey(), result.getValue()));
            listener.onResponse(byModel);
        }, listener::onFailure), models.size());
        for (String model : models) {
            ActionListener<float[][]> one = ActionListener.wrap(vectors -> all.onResponse(Map.entry(model, vectors)), all::onFailure);
            if (image) {
                inference.encodeQueryImage(model, input, one);
            } else {
                inference.encodeQuery(model, input, one);
            }
        }
    }
}
