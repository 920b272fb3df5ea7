package io.multivector.plugin.fusion;

import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.opensearch.common.lucene.search.Queries;
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

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code fusion_lists}: the query a fusion in one search runs on each shard ({@link OneSearchFusion}): its subqueries
 * (filter applied), their names and the fusion's resolved options. Written by the fusion, not by users.
 */
public final class FusionListsQueryBuilder extends AbstractQueryBuilder<FusionListsQueryBuilder> {

    public static final String NAME = "fusion_lists";
    /** What a search with this query as its own gets: it only works as a fusion writes it. */
    static final String NOT_BY_HAND = "[" + NAME + "] is written by a [fusion] query: send that instead";

    private final List<QueryBuilder> queries;
    private final List<String> names;
    private final FusionOptions options;

    FusionListsQueryBuilder(List<QueryBuilder> queries, List<String> names, FusionOptions options) {
        if (queries.isEmpty() || queries.size() != names.size() || options.windowSize() == null || options.method() == null) {
            throw new IllegalArgumentException("[" + NAME + "] requires [queries], one name each, and resolved options");
        }
        this.queries = List.copyOf(queries);
        this.names = List.copyOf(names);
        this.options = options;
    }

    public FusionListsQueryBuilder(StreamInput in) throws IOException {
        super(in);
        queries = in.readNamedWriteableList(QueryBuilder.class);
        names = in.readStringList();
        options = new FusionOptions(in);
    }

    List<String> names() {
        return names;
    }

    FusionOptions options() {
        return options;
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeNamedWriteableList(queries);
        out.writeStringCollection(names);
        options.writeTo(out);
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME).startArray("queries");
        for (QueryBuilder query : queries) {
            query.toXContent(builder, params);
        }
        builder.endArray().field("names", names);
        options.toXContent(builder, params);
        printBoostAndQueryName(builder);
        builder.endObject();
    }

    public static FusionListsQueryBuilder fromXContent(XContentParser parser) throws IOException {
        List<QueryBuilder> queries = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Map<String, Object> config = new HashMap<>();
        String field = null;
        for (XContentParser.Token token = parser.nextToken(); token != XContentParser.Token.END_OBJECT; token = parser.nextToken()) {
            if (token == XContentParser.Token.FIELD_NAME) {
                field = parser.currentName();
            } else if ("queries".equals(field) && token == XContentParser.Token.START_ARRAY) {
                while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
                    queries.add(parseInnerQueryBuilder(parser));
                }
            } else if ("names".equals(field) && token == XContentParser.Token.START_ARRAY) {
                while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
                    names.add(parser.text());
                }
            } else if (FusionOptions.KEYS.contains(field)) {
                config.put(field, token == XContentParser.Token.START_ARRAY ? parser.list() : parser.objectText());
            } else if ((BOOST_FIELD.match(field, parser.getDeprecationHandler()) || NAME_FIELD.match(field, parser.getDeprecationHandler()))
                && token.isValue()) {
                continue; // printed with the defaults; a fusion in one search has neither
            } else {
                throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] does not take [" + field + "]");
            }
        }
        try {
            return new FusionListsQueryBuilder(queries, names, FusionOptions.fromConfig(config).resolve(FusionOptions.NONE, queries.size()));
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
    }

    @Override
    protected QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
        List<QueryBuilder> rewritten = new ArrayList<>(queries.size());
        boolean changed = false;
        for (int i = 0; i < queries.size(); i++) {
            QueryBuilder result;
            try {
                result = Rewriteable.rewrite(queries.get(i), context);
            } catch (RuntimeException e) {
                throw Subsearches.failure(names.get(i), e);
            }
            changed |= result != queries.get(i);
            rewritten.add(result);
        }
        return changed ? new FusionListsQueryBuilder(rewritten, names, options) : this;
    }

    @Override
    protected Query doToQuery(QueryShardContext context) throws IOException {
        Query[] lucene = new Query[queries.size()];
        for (int i = 0; i < lucene.length; i++) {
            Query query;
            try {
                query = queries.get(i).toQuery(context);
            } catch (RuntimeException e) {
                throw Subsearches.failure(names.get(i), e);
            }
            if (context.getMapperService().hasNested()) { // each subquery is a search of its own: no nested documents
                query = new BooleanQuery.Builder().add(query, BooleanClause.Occur.MUST)
                    .add(Queries.newNonNestedFilter(), BooleanClause.Occur.FILTER).build();
            }
            lucene[i] = query;
        }
        boolean[] readIds = new boolean[queries.size()];
        for (int i = 0; i < readIds.length; i++) {
            readIds[i] = SubqueryRewrites.isVectorQuery(queries.get(i)) == false;
        }
        return new FusionListsQuery(lucene, readIds, names, options, context.index().getName(), context.getShardId());
    }

    @Override
    protected boolean doEquals(FusionListsQueryBuilder other) {
        return queries.equals(other.queries) && names.equals(other.names) && options.equals(other.options);
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(queries, names, options);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }
}
