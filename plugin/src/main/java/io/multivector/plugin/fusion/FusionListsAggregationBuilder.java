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

/**
 * {@code fusion_lists}, the aggregation: sends a shard's subquery lists, which its {@code fusion_lists} query found,
 * to the coordinating node for {@link FusionListsProcessor} (see {@link OneSearchFusion}). Written by the fusion.
 */
public final class FusionListsAggregationBuilder extends AbstractAggregationBuilder<FusionListsAggregationBuilder> {

    public static final String NAME = FusionListsQueryBuilder.NAME;

    FusionListsAggregationBuilder() {
        super(NAME);
    }

    public FusionListsAggregationBuilder(StreamInput in) throws IOException {
        super(in);
    }

    private FusionListsAggregationBuilder(FusionListsAggregationBuilder original, AggregatorFactories.Builder factories,
                                          Map<String, Object> metadata) {
        super(original, factories, metadata);
    }

    @Override
    protected void doWriteTo(StreamOutput out) {}

    public static FusionListsAggregationBuilder parse(XContentParser parser, String name) throws IOException {
        if (parser.nextToken() != XContentParser.Token.END_OBJECT || NAME.equals(name) == false) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] takes no parameters and is named [" + NAME + "]");
        }
        return new FusionListsAggregationBuilder();
    }

    @Override
    protected XContentBuilder internalXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject().endObject();
    }

    @Override
    protected AggregatorFactory doBuild(QueryShardContext context, AggregatorFactory parent, AggregatorFactories.Builder subFactories)
        throws IOException {
        if (parent != null || subFactories.count() > 0) {
            throw new IllegalArgumentException("[" + NAME + "] is a top-level aggregation without sub-aggregations");
        }
        return new AggregatorFactory(name, context, null, subFactories, metadata) {
            @Override
            protected Aggregator createInternal(SearchContext searchContext, Aggregator parent, CardinalityUpperBound cardinality,
                                                Map<String, Object> metadata) throws IOException {
                return new FusionListsAggregator(name, searchContext, metadata);
            }
        };
    }

    @Override
    protected AggregationBuilder shallowCopy(AggregatorFactories.Builder factories, Map<String, Object> metadata) {
        return new FusionListsAggregationBuilder(this, factories, metadata);
    }

    @Override
    public BucketCardinality bucketCardinality() {
        return BucketCardinality.NONE;
    }

    @Override
    public String getType() {
        return NAME;
    }
}
