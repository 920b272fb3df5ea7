package io.multivector.plugin.fusion;

import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.BoolQueryBuilder;
import org.opensearch.index.query.QueryBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Changes to subqueries that must happen inside them, not around them. A vector query ({@code vector} here,
 * opensearch-knn's {@code knn}, neural-search's {@code neural}) takes the fusion's {@code filter} as its own
 * {@code filter}, so the graph search filters while it searches and still returns k hits; any other query is
 * wrapped in a bool filter. The queries of other plugins are edited in their JSON form, so no plugin's classes
 * are needed here.
 */
final class SubqueryRewrites {

    /** Queries whose filter is a top-level parameter of their body. */
    private static final Set<String> FILTER_IN_BODY = Set.of("vector");
    /** Queries whose body is keyed by the field name, with the filter inside it. */
    private static final Set<String> FILTER_IN_FIELD = Set.of("knn", "neural");

    private final NamedXContentRegistry registry;

    SubqueryRewrites(NamedXContentRegistry registry) {
        this.registry = registry;
    }

    static boolean isVectorQuery(QueryBuilder query) {
        return FILTER_IN_BODY.contains(query.getWriteableName()) || FILTER_IN_FIELD.contains(query.getWriteableName());
    }

    QueryBuilder withFilter(QueryBuilder query, QueryBuilder filter) {
        if (filter == null) {
            return query;
        }
        String name = query.getWriteableName();
        if (isVectorQuery(query) == false) {
            return new BoolQueryBuilder().must(query).filter(filter);
        }
        Map<String, Object> json = toMap(query);
        Map<String, Object> body = body(json, name);
        if (FILTER_IN_FIELD.contains(name)) {
            if (body.size() != 1) {
                return new BoolQueryBuilder().must(query).filter(filter);
            }
            body = body(body, body.keySet().iterator().next());
        }
        Object existing = body.get("filter");
        Map<String, Object> added = toMap(filter);
        body.put("filter", existing == null ? added : Map.of("bool", Map.of("filter", List.of(existing, added))));
        return parse(json);
    }

    /** A {@code vector} query without {@code k} keeps 10 documents on a dense field: a rerank must score its whole window. */
    QueryBuilder withK(QueryBuilder query, int k) {
        if ("vector".equals(query.getWriteableName()) == false) {
            return query;
        }
        Map<String, Object> json = toMap(query);
        Map<String, Object> body = body(json, "vector");
        if (body.containsKey("k")) {
            return query;
        }
        body.put("k", k);
        return parse(json);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(Map<String, Object> json, String key) {
        Map<String, Object> body = new HashMap<>((Map<String, Object>) json.get(key));
        json.put(key, body);
        return body;
    }

    private static Map<String, Object> toMap(QueryBuilder query) {
        try (XContentBuilder builder = JsonXContent.contentBuilder()) {
            query.toXContent(builder, ToXContent.EMPTY_PARAMS);
            return new HashMap<>(XContentHelper.convertToMap(BytesReference.bytes(builder), true, XContentType.JSON).v2());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private QueryBuilder parse(Map<String, Object> json) {
        try (XContentBuilder builder = JsonXContent.contentBuilder().map(json);
             XContentParser parser = XContentType.JSON.xContent().createParser(registry, DeprecationHandler.THROW_UNSUPPORTED_OPERATION,
                 BytesReference.bytes(builder).streamInput())) {
            parser.nextToken();
            return AbstractQueryBuilder.parseInnerQueryBuilder(parser);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
