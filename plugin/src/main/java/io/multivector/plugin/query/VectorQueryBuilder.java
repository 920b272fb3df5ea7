package io.multivector.plugin.query;

import io.multivector.plugin.mapper.VectorFieldType;
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

    private final String field;
    private final float[][] queryVectors;
    private final boolean singleVector;
    private final Integer k;
    private final Integer numCandidates;
    private final QueryBuilder filter;

    public VectorQueryBuilder(String field, float[][] queryVectors, boolean singleVector, Integer k, Integer numCandidates,
                              QueryBuilder filter) {
        this.field = Objects.requireNonNull(field, "[vector] requires [field]");
        this.queryVectors = queryVectors;
        this.singleVector = singleVector;
        this.k = k;
        this.numCandidates = numCandidates;
        this.filter = filter;
        if (queryVectors == null || queryVectors.length == 0) {
            throw new IllegalArgumentException("[vector] requires [query_vector] or [query_vectors]");
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
        queryVectors = new float[in.readVInt()][];
        for (int i = 0; i < queryVectors.length; i++) {
            queryVectors[i] = in.readFloatArray();
        }
        singleVector = in.readBoolean();
        k = in.readOptionalVInt();
        numCandidates = in.readOptionalVInt();
        filter = in.readOptionalNamedWriteable(QueryBuilder.class);
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeString(field);
        out.writeVInt(queryVectors.length);
        for (float[] vector : queryVectors) {
            out.writeFloatArray(vector);
        }
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
        String field = null, queryName = null, current = null;
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
            return new VectorQueryBuilder(field, vectors, single, k, numCandidates, filter).queryName(queryName).boost(boost);
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        builder.field(FIELD.getPreferredName(), field);
        if (singleVector) {
            builder.field(QUERY_VECTOR.getPreferredName(), queryVectors[0]);
        } else {
            builder.field(QUERY_VECTORS.getPreferredName(), queryVectors);
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
        if (filter != null) {
            QueryBuilder rewrittenFilter = filter.rewrite(context);
            if (rewrittenFilter != filter) {
                return new VectorQueryBuilder(field, queryVectors, singleVector, k, numCandidates, rewrittenFilter).queryName(queryName)
                    .boost(boost);
            }
        }
        return this;
    }

    @Override
    protected Query doToQuery(QueryShardContext context) throws IOException {
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
            && Objects.equals(k, other.k) && Objects.equals(numCandidates, other.numCandidates) && Objects.equals(filter, other.filter);
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(field, Arrays.deepHashCode(queryVectors), singleVector, k, numCandidates, filter);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }
}
