package io.multivector.plugin.fusion;

import org.apache.lucene.search.Query;
import org.opensearch.core.ParseField;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.index.query.QueryShardException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code fusion}: several subqueries, each run as a full search of {@code window_size} hits, fused into one
 * ranking on the coordinating node ({@link FusionExecutor}), which then replaces this query by the fused list
 * ({@link FusedDocsQueryBuilder}). It never reaches a shard itself: where it would (nested in another query), it
 * is a 400 saying where it may stand.
 */
public final class FusionQueryBuilder extends AbstractQueryBuilder<FusionQueryBuilder> {

    public static final String NAME = "fusion";
    static final int MAX_SUBQUERIES = 32;

    static final ParseField QUERIES = new ParseField("queries");
    static final ParseField FILTER = new ParseField("filter");
    static final ParseField RERANK = new ParseField("rerank");
    static final ParseField SUBQUERY_SCORES = new ParseField("subquery_scores");

    /** Re-scores the fused top {@code windowSize} with {@code query}; the result is that window in the rerank's order. */
    record Rerank(QueryBuilder query, Integer windowSize) {
        Rerank {
            Objects.requireNonNull(query, "[fusion] [rerank] requires [query]");
            if (windowSize != null && (windowSize < 1 || windowSize > FusionOptions.MAX_WINDOW)) {
                throw new IllegalArgumentException("[fusion] [rerank] [window_size] must be between 1 and " + FusionOptions.MAX_WINDOW
                    + ", got [" + windowSize + "]");
            }
        }
    }

    private final List<QueryBuilder> queries;
    private final FusionOptions options;
    private final QueryBuilder filter;
    private final Rerank rerank;
    private final boolean subqueryScores;

    public FusionQueryBuilder(List<QueryBuilder> queries, FusionOptions options, QueryBuilder filter, Rerank rerank, boolean subqueryScores) {
        if (queries == null || queries.isEmpty()) {
            throw new IllegalArgumentException("[fusion] requires [queries]: one or more subqueries");
        }
        if (queries.size() > MAX_SUBQUERIES) {
            throw new IllegalArgumentException("[fusion] takes at most " + MAX_SUBQUERIES + " [queries], got " + queries.size());
        }
        options.checkWeights(queries.size());
        this.queries = List.copyOf(queries);
        this.options = options;
        this.filter = filter;
        this.rerank = rerank;
        this.subqueryScores = subqueryScores;
    }

    public FusionQueryBuilder(StreamInput in) throws IOException {
        super(in);
        queries = in.readNamedWriteableList(QueryBuilder.class);
        options = new FusionOptions(in);
        filter = in.readOptionalNamedWriteable(QueryBuilder.class);
        rerank = in.readBoolean() ? new Rerank(in.readNamedWriteable(QueryBuilder.class), in.readOptionalVInt()) : null;
        subqueryScores = in.readBoolean();
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeNamedWriteableList(queries);
        options.writeTo(out);
        out.writeOptionalNamedWriteable(filter);
        out.writeBoolean(rerank != null);
        if (rerank != null) {
            out.writeNamedWriteable(rerank.query());
            out.writeOptionalVInt(rerank.windowSize());
        }
        out.writeBoolean(subqueryScores);
    }

    List<QueryBuilder> queries() {
        return queries;
    }

    FusionOptions options() {
        return options;
    }

    QueryBuilder filter() {
        return filter;
    }

    Rerank rerank() {
        return rerank;
    }

    boolean subqueryScores() {
        return subqueryScores;
    }

    /** A subquery's name in explanations and {@code _fusion}: its {@code _name}, else its position. */
    String subqueryName(int i) {
        String name = queries.get(i).queryName();
        return name != null ? name : Integer.toString(i);
    }

    public static FusionQueryBuilder fromXContent(XContentParser parser) throws IOException {
        List<QueryBuilder> queries = null;
        QueryBuilder filter = null;
        Rerank rerank = null;
        boolean subqueryScores = false;
        String method = null, normalization = null, queryName = null, current = null;
        Integer rankConstant = null, windowSize = null;
        List<Double> weights = null;
        float boost = DEFAULT_BOOST;
        XContentParser.Token token;
        try {
            while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
                if (token == XContentParser.Token.FIELD_NAME) {
                    current = parser.currentName();
                } else if (QUERIES.match(current, parser.getDeprecationHandler()) && token == XContentParser.Token.START_ARRAY) {
                    queries = new ArrayList<>();
                    while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
                        queries.add(parseInnerQueryBuilder(parser));
                    }
                } else if (FILTER.match(current, parser.getDeprecationHandler()) && token == XContentParser.Token.START_OBJECT) {
                    filter = parseInnerQueryBuilder(parser);
                } else if (RERANK.match(current, parser.getDeprecationHandler()) && token == XContentParser.Token.START_OBJECT) {
                    rerank = parseRerank(parser);
                } else if (FusionOptions.WEIGHTS.equals(current) && token == XContentParser.Token.START_ARRAY) {
                    weights = new ArrayList<>();
                    while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
                        weights.add(parser.doubleValue());
                    }
                } else if (token.isValue() && FusionOptions.METHOD.equals(current)) {
                    method = parser.text();
                } else if (token.isValue() && FusionOptions.NORMALIZATION.equals(current)) {
                    normalization = parser.text();
                } else if (token.isValue() && FusionOptions.RANK_CONSTANT.equals(current)) {
                    rankConstant = intValue(parser, current);
                } else if (token.isValue() && FusionOptions.WINDOW_SIZE.equals(current)) {
                    windowSize = intValue(parser, current);
                } else if (token.isValue() && SUBQUERY_SCORES.match(current, parser.getDeprecationHandler())) {
                    subqueryScores = parser.booleanValue();
                } else if (token.isValue() && NAME_FIELD.match(current, parser.getDeprecationHandler())) {
                    queryName = parser.text();
                } else if (token.isValue() && BOOST_FIELD.match(current, parser.getDeprecationHandler())) {
                    boost = parser.floatValue();
                } else {
                    throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] does not support [" + current + "] here");
                }
            }
            return new FusionQueryBuilder(queries, new FusionOptions(method, rankConstant, normalization, weights, windowSize), filter, rerank,
                subqueryScores).queryName(queryName).boost(boost);
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
    }

    private static Rerank parseRerank(XContentParser parser) throws IOException {
        QueryBuilder query = null;
        Integer windowSize = null;
        String current = null;
        XContentParser.Token token;
        while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
            if (token == XContentParser.Token.FIELD_NAME) {
                current = parser.currentName();
            } else if ("query".equals(current) && token == XContentParser.Token.START_OBJECT) {
                query = parseInnerQueryBuilder(parser);
            } else if (token.isValue() && FusionOptions.WINDOW_SIZE.equals(current)) {
                windowSize = intValue(parser, "rerank.window_size");
            } else {
                throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] [rerank] does not support [" + current + "]");
            }
        }
        return new Rerank(query, windowSize);
    }

    private static int intValue(XContentParser parser, String key) throws IOException {
        try {
            return parser.intValue(false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[" + NAME + "] [" + key + "] must be an integer, got [" + parser.text() + "]");
        }
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        builder.startArray(QUERIES.getPreferredName());
        for (QueryBuilder query : queries) {
            query.toXContent(builder, params);
        }
        builder.endArray();
        options.toXContent(builder, params);
        if (filter != null) {
            builder.field(FILTER.getPreferredName(), filter);
        }
        if (rerank != null) {
            builder.startObject(RERANK.getPreferredName()).field("query", rerank.query());
            if (rerank.windowSize() != null) {
                builder.field(FusionOptions.WINDOW_SIZE, rerank.windowSize());
            }
            builder.endObject();
        }
        if (subqueryScores) {
            builder.field(SUBQUERY_SCORES.getPreferredName(), true);
        }
        printBoostAndQueryName(builder);
        builder.endObject();
    }

    @Override
    protected QueryBuilder doRewrite(QueryRewriteContext context) {
        return this; // the subqueries are rewritten in their own searches
    }

    @Override
    protected Query doToQuery(QueryShardContext context) {
        throw new QueryShardException(context, "[" + NAME + "] is run on the coordinating node as the request's top-level query or "
            + "as a subquery of another [" + NAME + "]; it cannot be nested in another query");
    }

    @Override
    protected boolean doEquals(FusionQueryBuilder other) {
        return queries.equals(other.queries) && options.equals(other.options) && Objects.equals(filter, other.filter)
            && Objects.equals(rerank, other.rerank) && subqueryScores == other.subqueryScores;
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(queries, options, filter, rerank, subqueryScores);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }
}
