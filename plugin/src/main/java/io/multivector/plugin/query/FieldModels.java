package io.multivector.plugin.query;

import org.opensearch.action.IndicesRequest;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.metadata.MappingMetadata;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.index.query.QueryCoordinatorContext;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.transport.RemoteClusterAware;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds, on the coordinating node, which model a vector field was mapped with in the indices a search targets: query
 * texts are encoded there, once per request and model, before the shards see the query. Only the target indices count,
 * so that an index someone else creates, with the same field name mapped otherwise, changes nothing for this search.
 */
public final class FieldModels {

    /** The field's type, dims and model in one index's mapping; the model is null when none is mapped. */
    public record Mapped(String type, int dims, String model) {}

    /**
     * The field in each local target index that maps it as a vector field (index name → mapping), and whether the
     * search also names indices of remote clusters, whose mappings this cluster does not know.
     */
    public record Targets(Map<String, Mapped> byIndex, List<String> searched, boolean remote) {}

    private final ClusterService clusterService;
    private final IndexNameExpressionResolver resolver;

    public FieldModels(ClusterService clusterService, IndexNameExpressionResolver resolver) {
        this.clusterService = clusterService;
        this.resolver = resolver;
    }

    /**
     * The target indices are those of the request the rewrite runs for: search (and msearch, which runs each search
     * alone) and explain give the coordinator's rewrite a {@link QueryCoordinatorContext} holding their request, and
     * the indices resolve as OpenSearch resolves them for the search (aliases, wildcards, data streams, the request's
     * indices options). Without a request (a rewrite outside those actions) every index counts.
     */
    public Targets resolve(QueryRewriteContext context, String field) {
        ClusterState state = clusterService.state();
        QueryCoordinatorContext coordinator = context.convertToCoordinatorContext();
        IndicesRequest request = coordinator == null ? null : coordinator.getSearchRequest();
        String[] names;
        boolean remote = false;
        if (request == null) {
            names = state.metadata().getConcreteAllIndices();
        } else {
            String[] expressions = request.indices() == null ? new String[0] : request.indices();
            List<String> local = new ArrayList<>();
            for (String expression : expressions) {
                if (isRemote(expression)) {
                    remote = true; // cluster:index: resolved, and its query rewritten again, by that cluster
                } else {
                    local.add(expression);
                }
            }
            names = local.isEmpty() && remote ? new String[0]
                : resolver.concreteIndexNames(state, request.indicesOptions(), request.includeDataStreams(), local.toArray(new String[0]));
        }
        Map<String, Mapped> byIndex = new TreeMap<>();
        for (String name : names) {
            Mapped mapped = resolve(state, name, field);
            if (mapped != null) {
                byIndex.put(name, mapped);
            }
        }
        return new Targets(byIndex, List.of(names), remote);
    }

    /** The indices a request names, resolved as for the request itself. */
    public List<String> concreteIndices(IndicesRequest request) {
        return List.of(resolver.concreteIndexNames(clusterService.state(), request));
    }

    /** Date math ({@code <logs-{now/d}>}) may hold a ':' and is local; otherwise a ':' names a remote cluster. */
    private static boolean isRemote(String expression) {
        return expression.startsWith("<") == false && expression.indexOf(RemoteClusterAware.REMOTE_CLUSTER_INDEX_SEPARATOR) >= 0;
    }

    /** The field as mapped in one index, or null when that index has no such vector field. */
    public Mapped resolve(String index, String field) {
        return resolve(clusterService.state(), index, field);
    }

    private static Mapped resolve(ClusterState state, String index, String field) {
        IndexMetadata metadata = state.metadata().index(index);
        if (metadata == null || metadata.mapping() == null) {
            return null;
        }
        return find(metadata.mapping(), field);
    }

    @SuppressWarnings("unchecked")
    private static Mapped find(MappingMetadata mapping, String field) {
        Map<String, Object> level = mapping.sourceAsMap();
        for (String part : field.split("\\.")) {
            Object properties = level.get("properties");
            if (properties instanceof Map<?, ?> == false) {
                return null;
            }
            Object child = ((Map<String, Object>) properties).get(part);
            if (child instanceof Map<?, ?> == false) {
                return null;
            }
            level = (Map<String, Object>) child;
        }
        Object type = level.get("type");
        if ("multi_vector".equals(type) || "dense_vector".equals(type)) {
            Object model = level.get("model");
            Object dims = level.get("dims");
            return new Mapped((String) type, dims instanceof Number n ? n.intValue() : -1, model == null ? null : model.toString());
        }
        return null;
    }

    /** Index names for a message: the first few, and how many more. */
    static String names(List<String> indices) {
        if (indices.size() <= 5) {
            return indices.toString();
        }
        return indices.subList(0, 5) + " and " + (indices.size() - 5) + " more";
    }
}
