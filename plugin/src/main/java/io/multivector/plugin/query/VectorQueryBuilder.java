package io.multivector.plugin.query;

import io.multivector.analysis.encoder.Encoder;
import io.multivector.plugin.mapper.MultiVectorFieldMapper;
import io.multivector.plugin.mapper.VectorFieldType;
import io.multivector.rest.inference.InferenceService;
import org.apache.lucene.util.SetOnce;
import org.opensearch.core.action.ActionListener;
import io.multivector.plugin.mapper.VectorParsing;
import org.apache.lucene.search.Query;
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
import java.util.Objects;
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

    /** Set once by the plugin: query texts are encoded by the node's models, found through the field's mapping. */
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
    /** The encoding of {@code queryText} or {@code queryImage}, filled by the rewrite's async action on the coordinating node. */
    private final Supplier<float[][]> pendingVectors;

    public VectorQueryBuilder(String field, float[][] queryVectors, boolean singleVector, Integer k, Integer numCandidates,
                              QueryBuilder filter) {
        this(field, queryVectors, singleVector, null, null, null, k, numCandidates, filter, null);
    }

    public VectorQueryBuilder(String field, float[][] queryVectors, boolean singleVector, String queryText, String queryImage, String model,
                              Integer k, Integer numCandidates, QueryBuilder filter, Supplier<float[][]> pendingVectors) {
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
        int queries = (queryVectors == null || queryVectors.length == 0 ? 0 : 1) + (queryText == null ? 0 : 1) + (queryImage == null ? 0 : 1);
        if (queries != 1) {
            throw new IllegalArgumentException("[vector] requires one of [query_vector], [query_vectors], [query_text] or [query_image]");
        }
        if (k != null && (k < 1 || k > 10_000)) {
            throw new IllegalArgumentException("[vector] [k] must be between 1 and 10000, got [" + k + "]");
        }
        if (numCandidates != null && (numCandidates < 1 || numCandidates > 10_000)) {
            throw new IllegalArgumentException("[vector] [num_candidates] must be between 1 and 10000, got [" + numCandidates + "]");
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
    }

    public String field() {
        return field;
    }

    public Integer k() {
        return k;
    }

    public static VectorQueryBuilder fromXContent(XContentParser parser) throws IOException {
        String field = null, queryName = null, current = null, queryText = null, queryImage = null, model = null;
        float[][] vectors = null;
        boolean single = false;
        Integer k = null, numCandidates = null;
        QueryBuilder filter = null;
        float boost = DEFAULT_BOOST;
        XContentParser.Token token;
        while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
            if (token == XContentParser.Token.FIELD_NAME) {
                current = parser.currentName();
            } else if (QUERY_VECTOR.match(current, parser.getDeprecationHandler()) && token == XContentParser.Token.START_ARRAY) {
                vectors = new float[][] { VectorParsing.readArray(parser) };
                single = true;
            } else if (QUERY_VECTORS.match(current, parser.getDeprecationHandler()) && token == XContentParser.Token.START_ARRAY) {
                vectors = VectorParsing.readMatrix(parser);
            } else if (FILTER.match(current, parser.getDeprecationHandler()) && token == XContentParser.Token.START_OBJECT) {
                filter = parseInnerQueryBuilder(parser);
            } else if (token.isValue() && QUERY_TEXT.match(current, parser.getDeprecationHandler())) {
                queryText = parser.text();
            } else if (token.isValue() && QUERY_IMAGE.match(current, parser.getDeprecationHandler())) {
                queryImage = parser.text();
            } else if (token.isValue() && MODEL.match(current, parser.getDeprecationHandler())) {
                model = parser.text();
            } else if (token.isValue() && FIELD.match(current, parser.getDeprecationHandler())) {
                field = parser.text();
            } else if (token.isValue() && K.match(current, parser.getDeprecationHandler())) {
                k = parser.intValue();
            } else if (token.isValue() && NUM_CANDIDATES.match(current, parser.getDeprecationHandler())) {
                numCandidates = parser.intValue();
            } else if (token.isValue() && NAME_FIELD.match(current, parser.getDeprecationHandler())) {
                queryName = parser.text();
            } else if (token.isValue() && BOOST_FIELD.match(current, parser.getDeprecationHandler())) {
                boost = parser.floatValue();
            } else {
                throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] does not support [" + current + "] here");
            }
        }
        if (field == null) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] requires [field]");
        }
        try {
            return new VectorQueryBuilder(field, vectors, single, queryText, queryImage, model, k, numCandidates, filter, null).queryName(queryName)
                .boost(boost);
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
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
                    .queryName(queryName).boost(boost);
            }
        }
        return this;
    }

    /** Encodes {@code query_text} or {@code query_image} with the model, asynchronously, then becomes a query over the vectors. */
    private QueryBuilder rewriteText(QueryRewriteContext context) {
        if (pendingVectors != null) {
            float[][] vectors = pendingVectors.get();
            if (vectors == null) {
                return this;
            }
            return new VectorQueryBuilder(field, vectors, vectors.length == 1, null, null, model, k, numCandidates, filter, null).queryName(queryName)
                .boost(boost);
        }
        if (inference == null) {
            throw new IllegalStateException("[" + NAME + "] query_text and query_image need the multivector plugin's inference service");
        }
        FieldModels.Mapped mapped = fieldModels.resolve(field);
        String modelId = model != null ? model : mapped.model();
        if (modelId == null) {
            throw new IllegalArgumentException("[" + NAME + "] field [" + field + "] has no [model] in its mapping; name the [model] in the query");
        }
        Encoder encoder = inference.encoder(modelId);
        boolean multiField = MultiVectorFieldMapper.CONTENT_TYPE.equals(mapped.type());
        if (encoder.kind().isMultiVector() != multiField) {
            throw new IllegalArgumentException("[" + NAME + "] model [" + modelId + "] is [" + encoder.kind().jsonName() + "], which does not fit field ["
                + field + "] of type [" + mapped.type() + "]");
        }
        if (encoder.kind().takesImages() != (queryImage != null)) {
            throw new IllegalArgumentException("[" + NAME + "] model [" + modelId + "] (" + encoder.kind().jsonName() + ") encodes "
                + (encoder.kind().takesImages() ? "images: use [query_image]" : "texts: use [query_text]"));
        }
        SetOnce<float[][]> encoded = new SetOnce<>();
        context.registerAsyncAction((client, listener) -> {
            ActionListener<float[][]> done = ActionListener.wrap(vectors -> {
                encoded.set(vectors);
                listener.onResponse(null);
            }, listener::onFailure);
            if (queryImage != null) {
                inference.encodeQueryImage(modelId, queryImage, done);
            } else {
                inference.encodeQuery(modelId, queryText, done);
            }
        });
        return new VectorQueryBuilder(field, null, false, queryText, queryImage, modelId, k, numCandidates, filter, encoded::get).queryName(queryName)
            .boost(boost);
    }

    @Override
    protected Query doToQuery(QueryShardContext context) throws IOException {
        if (queryVectors == null) {
            throw new IllegalStateException("[" + NAME + "] query_text or query_image was not encoded: the query must be rewritten on the coordinating node first");
        }
        MappedFieldType mapped = context.fieldMapper(field);
        if (mapped instanceof VectorFieldType == false) {
            throw new QueryShardException(context, "[" + NAME + "] field [" + field + "] is "
                + (mapped == null ? "not mapped" : "of type [" + mapped.typeName() + "], not a multi_vector or dense_vector field"));
        }
        Query filterQuery = filter == null ? null : filter.toQuery(context);
        try {
            return VectorQueries.build((VectorFieldType) mapped, queryVectors, singleVector, k, numCandidates, filterQuery);
        } catch (IllegalArgumentException e) {
            throw new QueryShardException(context, "[" + NAME + "] on field [" + field + "]: " + e.getMessage(), e);
        }
    }

    @Override
    protected boolean doEquals(VectorQueryBuilder other) {
        return field.equals(other.field) && Arrays.deepEquals(queryVectors, other.queryVectors) && singleVector == other.singleVector
            && Objects.equals(queryText, other.queryText) && Objects.equals(queryImage, other.queryImage) && Objects.equals(model, other.model) && pendingVectors == other.pendingVectors
            && Objects.equals(k, other.k) && Objects.equals(numCandidates, other.numCandidates) && Objects.equals(filter, other.filter);
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(field, Arrays.deepHashCode(queryVectors), singleVector, queryText, queryImage, model, k, numCandidates, filter);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }
}
