package io.multivector.plugin.query;

import io.multivector.plugin.mapper.VectorFieldType;
import io.multivector.rest.inference.InferenceService;
import io.multivector.rest.inference.TextInputs;
import org.apache.lucene.util.SetOnce;
import org.opensearch.core.action.ActionListener;
import io.multivector.plugin.mapper.VectorParsing;
import org.apache.lucene.search.Query;
import org.opensearch.common.settings.Setting;
import org.opensearch.core.ParseField;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.index.query.QueryShardException;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code vector}: one query for every vector field of the plugin. On a {@code multi_vector} field it scores by
 * MaxSim over the query's vectors (exactly); on a {@code dense_vector} field it is an HNSW kNN search.
 * With {@code k} it keeps the k best documents of each shard (and so composes in bool and fusion queries);
 * without it on a multi_vector field, it scores every matching document, which is what a rescore wants.
 */
public final class VectorQueryBuilder extends AbstractQueryBuilder<VectorQueryBuilder> {

    public static final String NAME = "vector";

    static final ParseField FIELD = new ParseField("field");
    static final ParseField QUERY_VECTOR = new ParseField("query_vector");
    static final ParseField QUERY_VECTORS = new ParseField("query_vectors");
    static final ParseField K = new ParseField("k");
    static final ParseField NUM_CANDIDATES = new ParseField("num_candidates");
    static final ParseField FILTER = new ParseField("filter");
    static final ParseField QUERY_TEXT = new ParseField("query_text");
    static final ParseField QUERY_IMAGE = new ParseField("query_image");
    static final ParseField MODEL = new ParseField("model");
    static final ParseField EXACT = new ParseField("exact");

    /** Set once by the plugin: query texts are encoded by the node's models, found through the field's mapping. */
    /**
     * The most hits one shard keeps for a vector query ({@code k}, and {@code num_candidates} for the graph search): each
     * is a heap entry per shard and a hit the coordinating node merges. Dynamic; 10000 at most, as OpenSearch's result window.
     */
    public static final Setting<Integer> MAX_K = Setting.intSetting("plugins.multivector.query.max_k", 10_000, 1, 10_000,
        Setting.Property.NodeScope, Setting.Property.Dynamic);
    private static volatile int maxK = MAX_K.getDefault(org.opensearch.common.settings.Settings.EMPTY);

    public static void setMaxK(int value) {
        maxK = value;
    }

    private static volatile InferenceService inference;
    private static volatile FieldModels fieldModels;

    public static void initialize(InferenceService inferenceService, FieldModels models) {
        inference = inferenceService;
        fieldModels = models;
    }

    private final String field;
    private final float[][] queryVectors;
    private final boolean singleVector;
    private final Integer k;
    private final Integer numCandidates;
    private final QueryBuilder filter;
    private final String queryText;
    /** A base64 JPEG or PNG, for image models; encoded like {@code queryText}. */
    private final String queryImage;
    private final String model;
    /** The encodings of {@code queryText} or {@code queryImage} by model, filled by the rewrite's async action on the coordinating node. */
    private final Supplier<Map<String, float[][]>> pendingVectors;
    /**
     * The input encoded with each model that the target indices map the field with, when they differ; each shard takes
     * its own index's (see {@link QueryEncodings}). Null otherwise: one model's vectors become {@code queryVectors}.
     */
    private final Map<String, float[][]> encodings;
    /** True: score every document exactly even where the field has a candidate index; null: the field decides. */
    private Boolean exact;

    public VectorQueryBuilder(String field, float[][] queryVectors, boolean singleVector, Integer k, Integer numCandidates,
                              QueryBuilder filter) {
        this(field, queryVectors, singleVector, null, null, null, k, numCandidates, filter, null);
    }

    public VectorQueryBuilder(String field, float[][] queryVectors, boolean singleVector, String queryText, String queryImage, String model,
                              Integer k, Integer numCandidates, QueryBuilder filter, Supplier<Map<String, float[][]>> pendingVectors) {
        this(field, queryVectors, singleVector, queryText, queryImage, model, k, numCandidates, filter, pendingVectors, null);
    }

    private VectorQueryBuilder(String field, float[][] queryVectors, boolean singleVector, String queryText, String queryImage, String model,
                               Integer k, Integer numCandidates, QueryBuilder filter, Supplier<Map<String, float[][]>> pendingVectors,
                               Map<String, float[][]> encodings) {
        this.field = Objects.requireNonNull(field, "[vector] requires [field]");
        this.queryVectors = queryVectors;
        this.singleVector = singleVector;
        this.queryText = queryText;
        this.queryImage = queryImage;
        this.model = model;
        this.k = k;
        this.numCandidates = numCandidates;
        this.filter = filter;
        this.pendingVectors = pendingVectors;
        this.encodings = encodings;
        int queries = (queryVectors == null ? 0 : 1) + (queryText == null ? 0 : 1) + (queryImage == null ? 0 : 1);
        if (queries == 0) {
            throw new IllegalArgumentException("[vector] requires one of [query_vector], [query_vectors], [query_text] or [query_image]");
        }
        if (queries > 1) {
            throw new IllegalArgumentException("[vector] takes only one of [query_vector], [query_vectors], [query_text] or [query_image]");
        }
        if (queryVectors != null && (queryVectors.length == 0 || queryVectors[0].length == 0)) {
            throw new IllegalArgumentException("[vector] [" + (singleVector ? QUERY_VECTOR : QUERY_VECTORS).getPreferredName()
                + "] is empty: give the query's vector" + (singleVector ? "" : "s"));
        }
        if (queryText != null && TextInputs.hasContent(queryText) == false) {
            throw new IllegalArgumentException(TextInputs.nothingToEncode("[vector] [query_text] of field [" + field + "]"));
        }
        if (queryImage != null && queryImage.isBlank()) {
            throw new IllegalArgumentException("[vector] [query_image] of field [" + field + "] is empty: give a base64 JPEG or PNG");
        }
        int limit = maxK;
        if (k != null && (k < 1 || k > limit)) {
            throw new IllegalArgumentException("[vector] [k] must be between 1 and " + limit + " ([" + MAX_K.getKey() + "]), got [" + k + "]");
        }
        if (numCandidates != null && (numCandidates < 1 || numCandidates > limit)) {
            throw new IllegalArgumentException("[vector] [num_candidates] must be between 1 and " + limit + " ([" + MAX_K.getKey()
                + "]), got [" + numCandidates + "]");
        }
        if (numCandidates != null && k != null && numCandidates < k) {
            throw new IllegalArgumentException("[vector] [num_candidates] [" + numCandidates + "] must be at least [k] [" + k
                + "]: the graph search keeps num_candidates documents, of which the best k are hits");
        }
    }

    public VectorQueryBuilder(StreamInput in) throws IOException {
        super(in);
        field = in.readString();
        int rows = in.readVInt();
        queryVectors = rows == 0 ? null : new float[rows][];
        for (int i = 0; i < rows; i++) {
            queryVectors[i] = in.readFloatArray();
        }
        queryText = in.readOptionalString();
        queryImage = in.readOptionalString();
        model = in.readOptionalString();
        pendingVectors = null;
        singleVector = in.readBoolean();
        k = in.readOptionalVInt();
        numCandidates = in.readOptionalVInt();
        filter = in.readOptionalNamedWriteable(QueryBuilder.class);
        exact = in.readOptionalBoolean();
        int models = in.readVInt();
        encodings = models == 0 ? null : new TreeMap<>();
        for (int m = 0; m < models; m++) {
            String id = in.readString();
            float[][] vectors = new float[in.readVInt()][];
            for (int i = 0; i < vectors.length; i++) {
                vectors[i] = in.readFloatArray();
            }
            encodings.put(id, vectors);
        }
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeString(field);
        out.writeVInt(queryVectors == null ? 0 : queryVectors.length);
        for (float[] vector : queryVectors == null ? new float[0][] : queryVectors) {
            out.writeFloatArray(vector);
        }
        out.writeOptionalString(queryText);
        out.writeOptionalString(queryImage);
        out.writeOptionalString(model);
        out.writeBoolean(singleVector);
        out.writeOptionalVInt(k);
        out.writeOptionalVInt(numCandidates);
        out.writeOptionalNamedWriteable(filter);
        out.writeOptionalBoolean(exact);
        out.writeVInt(encodings == null ? 0 : encodings.size());
        if (encodings != null) {
            for (Map.Entry<String, float[][]> entry : encodings.entrySet()) {
                out.writeString(entry.getKey());
                out.writeVInt(entry.getValue().length);
                for (float[] vector : entry.getValue()) {
                    out.writeFloatArray(vector);
                }
            }
        }
    }

    public String field() {
        return field;
    }

    public Integer k() {
        return k;
    }

    public VectorQueryBuilder exact(Boolean exact) {
        this.exact = exact;
        return this;
    }

    public static VectorQueryBuilder fromXContent(XContentParser parser) throws IOException {
        String field = null, queryName = null, current = null, queryText = null, queryImage = null, model = null;
        float[][] vectors = null;
        boolean single = false;
        Integer k = null, numCandidates = null;
        Boolean exact = null;
        QueryBuilder filter = null;
        float boost = DEFAULT_BOOST;
        XContentParser.Token token;
        while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
            if (token == XContentParser.Token.FIELD_NAME) {
                current = parser.currentName();
            } else if (QUERY_VECTOR.match(current, parser.getDeprecationHandler()) && token == XContentParser.Token.START_ARRAY) {
                vectors = new float[][] { readVectors(parser, QUERY_VECTOR, true)[0] };
                single = true;
            } else if (QUERY_VECTORS.match(current, parser.getDeprecationHandler()) && token == XContentParser.Token.START_ARRAY) {
                vectors = readVectors(parser, QUERY_VECTORS, false);
            } else if (FILTER.match(current, parser.getDeprecationHandler()) && token == XContentParser.Token.START_OBJECT) {
                filter = parseInnerQueryBuilder(parser);
            } else if (token.isValue() && QUERY_TEXT.match(current, parser.getDeprecationHandler())) {
                queryText = string(parser, QUERY_TEXT);
            } else if (token.isValue() && QUERY_IMAGE.match(current, parser.getDeprecationHandler())) {
                queryImage = string(parser, QUERY_IMAGE);
            } else if (token.isValue() && MODEL.match(current, parser.getDeprecationHandler())) {
                model = parser.text();
            } else if (token.isValue() && FIELD.match(current, parser.getDeprecationHandler())) {
                field = parser.text();
            } else if (token.isValue() && K.match(current, parser.getDeprecationHandler())) {
                k = integer(parser, K);
            } else if (token.isValue() && NUM_CANDIDATES.match(current, parser.getDeprecationHandler())) {
                numCandidates = integer(parser, NUM_CANDIDATES);
            } else if (token == XContentParser.Token.VALUE_BOOLEAN && EXACT.match(current, parser.getDeprecationHandler())) {
                exact = parser.booleanValue();
            } else if (token.isValue() && NAME_FIELD.match(current, parser.getDeprecationHandler())) {
                queryName = parser.text();
            } else if (token.isValue() && BOOST_FIELD.match(current, parser.getDeprecationHandler())) {
                try {
                    boost = parser.floatValue();
                } catch (IllegalArgumentException e) {
                    throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] [boost] must be a number, got [" + parser.text() + "]", e);
                }
            } else {
                throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] does not support [" + current + "] here");
            }
        }
        if (field == null) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] requires [field]");
        }
        try {
            return new VectorQueryBuilder(field, vectors, single, queryText, queryImage, model, k, numCandidates, filter, null).queryName(queryName)
                .boost(boost).exact(exact);
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
    }

    /** A text input must be a JSON string: a number (or true) is not a text a user meant to search for. */
    private static String string(XContentParser parser, ParseField name) throws IOException {
        if (parser.currentToken() != XContentParser.Token.VALUE_STRING) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] [" + name.getPreferredName() + "] must be a string, got ["
                + parser.text() + "]");
        }
        return parser.text();
    }

    private static int integer(XContentParser parser, ParseField name) throws IOException {
        try {
            return parser.intValue();
        } catch (IllegalArgumentException e) { // NumberFormatException included: "For input string" names nothing
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] [" + name.getPreferredName() + "] must be an integer, got ["
                + parser.text() + "]", e);
        }
    }

    /** The vectors of {@code query_vector} (one, as a one-row matrix) or {@code query_vectors}; a bad value names the parameter. */
    private static float[][] readVectors(XContentParser parser, ParseField name, boolean single) throws IOException {
        try {
            return single ? new float[][] { VectorParsing.readArray(parser) } : VectorParsing.readMatrix(parser);
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] [" + name.getPreferredName() + "]: " + e.getMessage(), e);
        }
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        builder.field(FIELD.getPreferredName(), field);
        if (queryText != null) {
            builder.field(QUERY_TEXT.getPreferredName(), queryText);
        } else if (queryImage != null) {
            builder.field(QUERY_IMAGE.getPreferredName(), queryImage);
        } else if (singleVector) {
            builder.field(QUERY_VECTOR.getPreferredName(), queryVectors[0]);
        } else {
            builder.field(QUERY_VECTORS.getPreferredName(), queryVectors);
        }
        if (model != null) {
            builder.field(MODEL.getPreferredName(), model);
        }
        if (k != null) {
            builder.field(K.getPreferredName(), k);
        }
        if (numCandidates != null) {
            builder.field(NUM_CANDIDATES.getPreferredName(), numCandidates);
        }
        if (filter != null) {
            builder.field(FILTER.getPreferredName(), filter);
        }
        if (exact != null) {
            builder.field(EXACT.getPreferredName(), exact);
        }
        printBoostAndQueryName(builder);
        builder.endObject();
    }

    @Override
    protected QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
        if (queryVectors == null) {
            return rewriteText(context);
        }
        if (filter != null) {
            QueryBuilder rewrittenFilter = filter.rewrite(context);
            if (rewrittenFilter != filter) {
                return new VectorQueryBuilder(field, queryVectors, singleVector, null, null, model, k, numCandidates, rewrittenFilter, null)
                    .queryName(queryName).boost(boost).exact(exact);
            }
        }
        return this;
    }

    /** The query over given vectors, keeping every other parameter. */
    private VectorQueryBuilder withVectors(float[][] vectors, String modelId) {
        return new VectorQueryBuilder(field, vectors, vectors.length == 1, null, null, modelId, k, numCandidates, filter, null)
            .queryName(queryName).boost(boost).exact(exact);
    }

    /**
     * On the coordinating node: encodes {@code query_text} or {@code query_image} asynchronously with each model the
     * target indices need, then becomes a query over the vectors (one model), or carries them all (several). On a
     * shard: takes the vectors of the shard's own index's model.
     */
    private QueryBuilder rewriteText(QueryRewriteContext context) {
        if (pendingVectors != null) {
            Map<String, float[][]> byModel = pendingVectors.get();
            if (byModel == null) {
                return this;
            }
            if (byModel.size() == 1) {
                Map.Entry<String, float[][]> only = byModel.entrySet().iterator().next();
                return withVectors(only.getValue(), only.getKey());
            }
            return new VectorQueryBuilder(field, null, false, queryText, queryImage, model, k, numCandidates, filter, null, byModel)
                .queryName(queryName).boost(boost).exact(exact);
        }
        QueryShardContext shard = context.convertToShardContext();
        if (encodings != null || shard != null) {
            return shard == null ? this : forShard(shard);
        }
        if (inference == null) {
            throw new IllegalStateException("[" + NAME + "] query_text and query_image need the multivector plugin's inference service");
        }
        boolean image = queryImage != null;
        java.util.Set<String> models = QueryEncodings.plan(inference, fieldModels.resolve(context, field), field, model, image);
        SetOnce<Map<String, float[][]>> encoded = new SetOnce<>();
        context.registerAsyncAction((client, listener) -> QueryEncodings.encode(inference, models, image ? queryImage : queryText, image,
            ActionListener.wrap(byModel -> {
                encoded.set(byModel);
                listener.onResponse(null);
            }, listener::onFailure)));
        return new VectorQueryBuilder(field, null, false, queryText, queryImage, model, k, numCandidates, filter, encoded::get)
            .queryName(queryName).boost(boost).exact(exact);
    }

    /** The vectors of this shard's index's model, out of the encodings for every model of the search. */
    private QueryBuilder forShard(QueryShardContext shard) {
        MappedFieldType mapped = shard.fieldMapper(field);
        if (encodings == null || mapped instanceof VectorFieldType == false) {
            return this; // not encoded, or not a vector field here: doToQuery says which
        }
        String fieldModel = ((VectorFieldType) mapped).model();
        float[][] vectors = fieldModel == null ? null : encodings.get(fieldModel);
        if (vectors == null) {
            throw new QueryShardException(shard, "[" + NAME + "] field [" + field + "] is mapped with model [" + fieldModel
                + "] here, which the query was not encoded with (encoded with " + encodings.keySet() + "); name the [model] in the query");
        }
        return withVectors(vectors, fieldModel);
    }

    @Override
    protected Query doToQuery(QueryShardContext context) throws IOException {
        MappedFieldType mapped = context.fieldMapper(field);
        if (mapped instanceof VectorFieldType == false) {
            throw new QueryShardException(context, "[" + NAME + "] field [" + field + "] is "
                + (mapped == null ? "not mapped" : "of type [" + mapped.typeName() + "], not a multi_vector or dense_vector field"));
        }
        if (queryVectors == null) {
            throw new IllegalStateException("[" + NAME + "] query_text or query_image was not encoded: the query must be rewritten on the coordinating node first");
        }
        Query filterQuery = filter == null ? null : filter.toQuery(context);
        try {
            return VectorQueries.build((VectorFieldType) mapped, queryVectors, singleVector, k, numCandidates, filterQuery,
                Boolean.TRUE.equals(exact), context.getIndexReader() == null ? 0 : context.getIndexReader().maxDoc());
        } catch (IllegalArgumentException e) {
            throw new QueryShardException(context, "[" + NAME + "] on field [" + field + "]: " + e.getMessage(), e);
        }
    }

    @Override
    protected boolean doEquals(VectorQueryBuilder other) {
        return field.equals(other.field) && Arrays.deepEquals(queryVectors, other.queryVectors) && singleVector == other.singleVector
            && Objects.equals(queryText, other.queryText) && Objects.equals(queryImage, other.queryImage) && Objects.equals(model, other.model) && pendingVectors == other.pendingVectors
            && sameEncodings(encodings, other.encodings)
            && Objects.equals(k, other.k) && Objects.equals(numCandidates, other.numCandidates) && Objects.equals(filter, other.filter)
            && Objects.equals(exact, other.exact);
    }

    private static boolean sameEncodings(Map<String, float[][]> a, Map<String, float[][]> b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.keySet().equals(b.keySet()) && a.keySet().stream().allMatch(m -> Arrays.deepEquals(a.get(m), b.get(m)));
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(field, Arrays.deepHashCode(queryVectors), singleVector, queryText, queryImage, model, k, numCandidates, filter,
            encodings == null ? null : encodings.keySet(), exact);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }
}
