package io.multivector.plugin.fusion;

import org.apache.lucene.search.Query;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.index.query.Rewriteable;
import org.opensearch.search.aggregations.AbstractAggregationBuilder;
import org.opensearch.search.aggregations.AggregationBuilder;
import org.opensearch.search.aggregations.Aggregator;
import org.opensearch.search.aggregations.AggregatorFactories;
import org.opensearch.search.aggregations.AggregatorFactory;
import org.opensearch.search.aggregations.CardinalityUpperBound;
import org.opensearch.search.internal.SearchContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code fusion_lists}, the internal aggregation of a {@code fusion}'s first round: each shard runs every subquery as
 * its own search of {@code window_size} hits and returns their {@code _id}s and scores, and the reduce keeps each
 * subquery's global top {@code window_size}. One search of size 0 thus gives all the lists, with no fetch phase.
 * The subqueries are rewritten with the request (on the coordinating node, so text is encoded there once).
 */
public final class FusionListsAggregationBuilder extends AbstractAggregationBuilder<FusionListsAggregationBuilder> {

    public static final String NAME = "fusion_lists";

    private final List<QueryBuilder> queries;
    private final int window;

    FusionListsAggregationBuilder(String name, List<QueryBuilder> queries, int window) {
        super(name);
        this.queries = List.copyOf(queries);
        this.window = window;
    }

    public FusionListsAggregationBuilder(StreamInput in) throws IOException {
        super(in);
        queries = in.readNamedWriteableList(QueryBuilder.class);
        window = in.readVInt();
    }

    private FusionListsAggregationBuilder(FusionListsAggregationBuilder original, List<QueryBuilder> queries,
                                          AggregatorFactories.Builder factories, Map<String, Object> metadata) {
        super(original, factories, metadata);
        this.queries = List.copyOf(queries);
        this.window = original.window;
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeNamedWriteableList(queries);
        out.writeVInt(window);
    }

    public static FusionListsAggregationBuilder parse(XContentParser parser, String name) throws IOException {
        List<QueryBuilder> queries = new ArrayList<>();
        Integer window = null;
        String field = null;
        for (XContentParser.Token token = parser.nextToken(); token != XContentParser.Token.END_OBJECT; token = parser.nextToken()) {
            if (token == XContentParser.Token.FIELD_NAME) {
                field = parser.currentName();
            } else if ("queries".equals(field) && token == XContentParser.Token.START_ARRAY) {
                while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
                    queries.add(AbstractQueryBuilder.parseInnerQueryBuilder(parser));
                }
            } else if ("window_size".equals(field) && token == XContentParser.Token.VALUE_NUMBER) {
                window = parser.intValue();
            } else {
                throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] does not take [" + field + "]");
            }
        }
        if (queries.isEmpty() || window == null || window < 1) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] requires [queries] and a positive [window_size]");
        }
        return new FusionListsAggregationBuilder(name, queries, window);
    }

    @Override
    protected XContentBuilder internalXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject().startArray("queries");
        for (QueryBuilder query : queries) {
            query.toXContent(builder, params);
        }
        return builder.endArray().field("window_size", window).endObject();
    }

    @Override
    protected AggregationBuilder doRewrite(QueryRewriteContext context) throws IOException {
        List<QueryBuilder> rewritten = new ArrayList<>(queries.size());
        boolean changed = false;
        for (QueryBuilder query : queries) {
            QueryBuilder result = Rewriteable.rewrite(query, context);
            changed |= result != query;
            rewritten.add(result);
        }
        return changed ? new FusionListsAggregationBuilder(this, rewritten, factoriesBuilder, metadata) : this;
    }

    @Override
    protected AggregatorFactory doBuild(QueryShardContext context, AggregatorFactory parent, AggregatorFactories.Builder subFactories)
        throws IOException {
        if (parent != null || subFactories.count() > 0) {
            throw new IllegalArgumentException("[" + NAME + "] is a top-level aggregation without sub-aggregations");
        }
        return new Factory(name, context, subFactories, metadata, queries, window);
    }

    @Override
    protected AggregationBuilder shallowCopy(AggregatorFactories.Builder factories, Map<String, Object> metadata) {
        return new FusionListsAggregationBuilder(this, queries, factories, metadata);
    }

    @Override
    public BucketCardinality bucketCardinality() {
        return BucketCardinality.NONE;
    }

    @Override
    public String getType() {
        return NAME;
    }

    @Override
    public boolean equals(Object other) {
        return super.equals(other) && window == ((FusionListsAggregationBuilder) other).window
            && queries.equals(((FusionListsAggregationBuilder) other).queries);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), queries, window);
    }

    private static final class Factory extends AggregatorFactory {
        private final List<QueryBuilder> queries;
        private final int window;

        Factory(String name, QueryShardContext context, AggregatorFactories.Builder subFactories, Map<String, Object> metadata,
                List<QueryBuilder> queries, int window) throws IOException {
            super(name, context, null, subFactories, metadata);
            this.queries = queries;
            this.window = window;
        }

        @Override
        protected Aggregator createInternal(SearchContext searchContext, Aggregator parent, CardinalityUpperBound cardinality,
                                            Map<String, Object> metadata) throws IOException {
            Query[] lucene = new Query[queries.size()];
            for (int i = 0; i < lucene.length; i++) {
                // as the request's own query: alias filters, and no nested documents
                lucene[i] = searchContext.buildFilteredQuery(queries.get(i).toQuery(queryShardContext));
            }
            return new FusionListsAggregator(name, searchContext, parent, cardinality, lucene, window, metadata);
        }
    }
}
