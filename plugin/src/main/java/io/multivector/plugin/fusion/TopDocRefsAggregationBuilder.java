package io.multivector.plugin.fusion;

import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.search.aggregations.AbstractAggregationBuilder;
import org.opensearch.search.aggregations.AggregationBuilder;
import org.opensearch.search.aggregations.Aggregator;
import org.opensearch.search.aggregations.AggregatorFactories;
import org.opensearch.search.aggregations.AggregatorFactory;
import org.opensearch.search.aggregations.CardinalityUpperBound;
import org.opensearch.search.internal.SearchContext;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * {@code top_doc_refs}: the request's best {@code size} documents by score, named by reference ([shard, Lucene doc,
 * reader view], as {@link DocRefs} names hits). A fusion's vector subqueries search with it and {@code size: 0}: their
 * lists then come back with the query phase, with no fetch phase, which cost a subquery ~0.5 ms of a ~10 ms search.
 */
public final class TopDocRefsAggregationBuilder extends AbstractAggregationBuilder<TopDocRefsAggregationBuilder> {

    public static final String NAME = "top_doc_refs";

    private final int size;

    public TopDocRefsAggregationBuilder(String name, int size) {
        super(name);
        if (size < 1) {
            throw new IllegalArgumentException("[" + NAME + "] [size] must be positive, got [" + size + "]");
        }
        this.size = size;
    }

    public TopDocRefsAggregationBuilder(StreamInput in) throws IOException {
        super(in);
        size = in.readVInt();
    }

    private TopDocRefsAggregationBuilder(TopDocRefsAggregationBuilder original, AggregatorFactories.Builder factories,
                                         Map<String, Object> metadata) {
        super(original, factories, metadata);
        this.size = original.size;
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeVInt(size);
    }

    public static TopDocRefsAggregationBuilder parse(XContentParser parser, String name) throws IOException {
        Integer size = null;
        String field = null;
        for (XContentParser.Token token = parser.nextToken(); token != XContentParser.Token.END_OBJECT; token = parser.nextToken()) {
            if (token == XContentParser.Token.FIELD_NAME) {
                field = parser.currentName();
            } else if ("size".equals(field) && token == XContentParser.Token.VALUE_NUMBER) {
                size = parser.intValue();
            } else {
                throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] does not take [" + field + "]");
            }
        }
        if (size == null || size < 1) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] requires a positive [size]");
        }
        return new TopDocRefsAggregationBuilder(name, size);
    }

    @Override
    protected XContentBuilder internalXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject().field("size", size).endObject();
    }

    @Override
    protected AggregatorFactory doBuild(QueryShardContext context, AggregatorFactory parent, AggregatorFactories.Builder subFactories)
        throws IOException {
        if (parent != null || subFactories.count() > 0) {
            throw new IllegalArgumentException("[" + NAME + "] is a top-level aggregation without sub-aggregations");
        }
        int size = this.size;
        return new AggregatorFactory(name, context, null, subFactories, metadata) {
            @Override
            protected Aggregator createInternal(SearchContext searchContext, Aggregator parent, CardinalityUpperBound cardinality,
                                                Map<String, Object> metadata) throws IOException {
                return new TopDocRefsAggregator(name, searchContext, size, metadata);
            }
        };
    }

    @Override
    protected AggregationBuilder shallowCopy(AggregatorFactories.Builder factories, Map<String, Object> metadata) {
        return new TopDocRefsAggregationBuilder(this, factories, metadata);
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
        return super.equals(other) && size == ((TopDocRefsAggregationBuilder) other).size;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), size);
    }
}
