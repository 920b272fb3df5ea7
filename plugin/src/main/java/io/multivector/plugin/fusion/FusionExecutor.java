package io.multivector.plugin.fusion;

import org.opensearch.ExceptionsHelper;
import org.opensearch.OpenSearchStatusException;
import org.opensearch.action.search.MultiSearchRequest;
import org.opensearch.action.search.MultiSearchResponse;
import org.opensearch.action.search.SearchPhaseExecutionException;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import io.multivector.rest.stats.FusionInFlight;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.index.query.BoolQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.search.SearchHit;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.transport.client.Client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@code fusion} on the coordinating node: every subquery as a full distributed search of
 * {@code window_size} hits (one {@code _msearch}; nested fusions recursively, at the same time), fuses the global
 * lists, reranks the fused top when asked, and rewrites the request's query into the fused list. The ranking is
 * therefore the same on one shard or many, and {@code from}/{@code size} page through one fixed list.
 */
public final class FusionExecutor {

    /** A fused list and what explains it. */
    record Fused(String method, List<String> names, List<FusedHit> hits) {}

    /**
     * The hits a fusion may hold at once (window_size of each subquery, summed over nested fusions): every list
     * sits in the coordinating node's heap until fused, so a request over this is refused before any search runs.
     */
    public static final Setting<Long> MAX_WINDOW_HITS = Setting.longSetting("plugins.multivector.fusion.max_window_hits",
        100_000, 1, Setting.Property.NodeScope, Setting.Property.Dynamic);

    private final Client client;
    private final SubqueryRewrites rewrites;
    private final FusionInFlight inFlight;
    private volatile long maxWindowHits = MAX_WINDOW_HITS.getDefault(Settings.EMPTY);

    public FusionExecutor(Client client, NamedXContentRegistry registry, FusionInFlight inFlight) {
        this.client = client;
        this.inFlight = inFlight;
        this.rewrites = new SubqueryRewrites(registry);
    }

    public void setMaxWindowHits(long maxWindowHits) {
        this.maxWindowHits = maxWindowHits;
    }

    /** The hits the subquery lists of {@code fusion} hold together, options resolved as {@link #fuse} resolves them. */
    static long windowHits(FusionQueryBuilder fusion, FusionOptions defaults) {
        FusionOptions options = fusion.options().resolve(defaults, fusion.queries().size());
        FusionOptions nestedDefaults = new FusionOptions(defaults.method(), defaults.rankConstant(), defaults.normalization(), null,
            defaults.windowSize());
        long total = 0;
        for (QueryBuilder query : fusion.queries()) {
            total += query instanceof FusionQueryBuilder nested ? windowHits(nested, nestedDefaults) : options.windowSize();
        }
        return total;
    }

    public static boolean isFusion(SearchRequest request) {
        return request.source() != null && request.source().query() instanceof FusionQueryBuilder;
    }

    /** The request with its top-level {@code fusion} replaced by the fused list; other requests unchanged. */
    public void resolve(SearchRequest request, FusionOptions defaults, ActionListener<SearchRequest> listener) {
        if (isFusion(request) == false) {
            listener.onResponse(request);
            return;
        }
        FusionQueryBuilder fusion = (FusionQueryBuilder) request.source().query();
        ActionListener<Fused> done = ActionListener.wrap(fused -> {
            FusedDocsQueryBuilder list = new FusedDocsQueryBuilder(fused.method(), fused.names(), fusion.subqueryScores(), fused.hits());
            SearchSourceBuilder source = request.source().shallowCopy().query(list.boost(fusion.boost()).queryName(fusion.queryName()));
            highlightWithSubqueries(source, fusion);
            request.source(source);
            listener.onResponse(request);
        }, listener::onFailure);
        long hits;
        try {
            hits = windowHits(fusion, defaults);
            if (hits > maxWindowHits) {
                throw new IllegalArgumentException("[fusion] would hold [" + hits + "] hits (window_size x subqueries), more than ["
                    + MAX_WINDOW_HITS.getKey() + "] (" + maxWindowHits + "): lower [window_size] or send fewer [queries]");
            }
        } catch (RuntimeException e) {
            listener.onFailure(e);
            return;
        }
        inFlight.start(hits); // counted in stats until the fused list is made or the fusion failed
        ActionListener<Fused> counted = ActionListener.runAfter(done, () -> inFlight.end(hits));
        try {
            fuse(request, fusion, defaults, null, counted);
        } catch (RuntimeException e) {
            counted.onFailure(e);
        }
    }

    /**
     * The fused list has no terms to highlight: unless the request names a {@code highlight_query}, highlighting
     * uses the subqueries that have terms (all but vector queries and nested fusions, whose own are used instead).
     */
    private static void highlightWithSubqueries(SearchSourceBuilder source, FusionQueryBuilder fusion) {
        if (source.highlighter() == null || source.highlighter().highlightQuery() != null) {
            return;
        }
        BoolQueryBuilder terms = new BoolQueryBuilder();
        addTermQueries(fusion, terms);
        if (terms.should().isEmpty() == false) {
            source.highlighter(source.highlighter().highlightQuery(terms));
        }
    }

    private static void addTermQueries(FusionQueryBuilder fusion, BoolQueryBuilder terms) {
        for (QueryBuilder query : fusion.queries()) {
            if (query instanceof FusionQueryBuilder nested) {
                addTermQueries(nested, terms);
            } else if (SubqueryRewrites.isVectorQuery(query) == false) {
                terms.should(query);
            }
        }
    }

    private void fuse(SearchRequest template, FusionQueryBuilder fusion, FusionOptions defaults, QueryBuilder outerFilter,
                      ActionListener<Fused> listener) {
        List<QueryBuilder> queries = fusion.queries();
        FusionOptions options = fusion.options().resolve(defaults, queries.size());
        QueryBuilder filter = and(outerFilter, fusion.filter());
        int window = options.windowSize();
        List<String> names = new ArrayList<>(queries.size());
        for (int i = 0; i < queries.size(); i++) {
            names.add(fusion.subqueryName(i));
        }
        if (fusion.rerank() != null && fusion.rerank().windowSize() != null && fusion.rerank().windowSize() > window) {
            throw new IllegalArgumentException("[fusion] [rerank] [window_size] (" + fusion.rerank().windowSize()
                + ") must not exceed the fusion's [window_size] (" + window + ")");
        }

        RankedList[] lists = new RankedList[queries.size()];
        AtomicInteger pending = new AtomicInteger(queries.size());
        AtomicBoolean failed = new AtomicBoolean();
        ActionListener<Void> oneDone = new ActionListener<>() {
            @Override
            public void onResponse(Void ignored) {
                if (pending.decrementAndGet() == 0 && failed.get() == false) {
                    afterFusion(template, fusion, names, options, Fuser.fuse(List.of(lists), options), listener);
                }
            }

            @Override
            public void onFailure(Exception e) {
                if (failed.compareAndSet(false, true)) {
                    listener.onFailure(e);
                }
            }
        };

        MultiSearchRequest searches = new MultiSearchRequest();
        List<Integer> searched = new ArrayList<>();
        FusionOptions nestedDefaults = new FusionOptions(defaults.method(), defaults.rankConstant(), defaults.normalization(), null,
            defaults.windowSize());
        for (int i = 0; i < queries.size(); i++) {
            int subquery = i;
            if (queries.get(i) instanceof FusionQueryBuilder nested) {
                fuse(template, nested, nestedDefaults, filter, ActionListener.wrap(fused -> {
                    lists[subquery] = new RankedList(names.get(subquery),
                        fused.hits().stream().map(hit -> new RankedList.Hit(hit.doc(), hit.score())).toList());
                    oneDone.onResponse(null);
                }, e -> oneDone.onFailure(subqueryFailure(names.get(subquery), e))));
            } else {
                searches.add(subsearch(template, rewrites.withFilter(queries.get(i), filter), window));
                searched.add(i);
            }
        }
        if (searched.isEmpty()) {
            return;
        }
        searches.maxConcurrentSearchRequests(searched.size());
        client.multiSearch(searches, ActionListener.wrap(responses -> {
            MultiSearchResponse.Item[] items = responses.getResponses();
            for (int j = 0; j < items.length; j++) {
                int subquery = searched.get(j);
                if (items[j].isFailure()) {
                    oneDone.onFailure(subqueryFailure(names.get(subquery), items[j].getFailure()));
                    return;
                }
                lists[subquery] = rankedList(names.get(subquery), items[j].getResponse());
                oneDone.onResponse(null);
            }
        }, oneDone::onFailure));
    }

    private void afterFusion(SearchRequest template, FusionQueryBuilder fusion, List<String> names, FusionOptions options,
                             List<FusedHit> fused, ActionListener<Fused> listener) {
        String method = options.method();
        FusionQueryBuilder.Rerank rerank = fusion.rerank();
        if (rerank == null || fused.isEmpty()) {
            listener.onResponse(new Fused(method, names, fused));
            return;
        }
        List<FusedHit> window = fused.subList(0, Math.min(fused.size(), rerank.windowSize() != null ? rerank.windowSize() : options.windowSize()));
        // the window goes inside a vector query as its filter, so its k best are chosen among the window's documents
        QueryBuilder query = rewrites.withFilter(rewrites.withK(rerank.query(), window.size()),
            new FusedDocsQueryBuilder(method, names, false, window));
        client.search(subsearch(template, query, window.size()), ActionListener.wrap(
            response -> listener.onResponse(new Fused(method, names, Fuser.rerank(window, rankedList("rerank", response).hits()))),
            e -> listener.onFailure(subqueryFailure("rerank", e))));
    }

    /** One subquery as its own search over the same indices, keeping only what fusion needs: ids and scores. */
    private static SearchRequest subsearch(SearchRequest template, QueryBuilder query, int size) {
        SearchRequest search = new SearchRequest(template.indices());
        search.indicesOptions(template.indicesOptions());
        search.routing(template.routing());
        search.preference(template.preference());
        search.searchType(template.searchType()); // dfs_query_then_fetch: BM25 statistics of the whole index, as asked
        if (template.allowPartialSearchResults() != null) {
            search.allowPartialSearchResults(template.allowPartialSearchResults());
        }
        SearchSourceBuilder source = new SearchSourceBuilder().query(query).size(size).fetchSource(false).trackTotalHits(false);
        if (template.source() != null && template.source().timeout() != null) {
            source.timeout(template.source().timeout());
        }
        return search.source(source);
    }

    private static RankedList rankedList(String name, SearchResponse response) {
        List<RankedList.Hit> hits = new ArrayList<>(response.getHits().getHits().length);
        for (SearchHit hit : response.getHits().getHits()) {
            hits.add(new RankedList.Hit(new RankedList.Doc(hit.getIndex(), hit.getId()), hit.getScore()));
        }
        // equal scores come in shard and Lucene doc order, which differ between one shard and three: rank them by _index, _id
        hits.sort(Comparator.comparingDouble((RankedList.Hit hit) -> -hit.score()).thenComparing(RankedList.Hit::doc));
        return new RankedList(name, hits);
    }

    private static Exception subqueryFailure(String name, Exception e) {
        Throwable cause = ExceptionsHelper.unwrapCause(e);
        if (cause.getMessage() != null && cause.getMessage().startsWith("[fusion] subquery")) {
            return e;
        }
        String reason = cause.getMessage();
        if (cause instanceof SearchPhaseExecutionException phase && phase.shardFailures().length > 0) {
            reason = phase.shardFailures()[0].reason(); // "all shards failed" says nothing; the shards' reason does
        }
        return new OpenSearchStatusException("[fusion] subquery [" + name + "] failed: " + reason, ExceptionsHelper.status(cause), e);
    }

    private static QueryBuilder and(QueryBuilder a, QueryBuilder b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : new BoolQueryBuilder().filter(a).filter(b);
    }
}
