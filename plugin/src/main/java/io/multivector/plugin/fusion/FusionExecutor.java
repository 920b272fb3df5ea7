package io.multivector.plugin.fusion;

import org.opensearch.ExceptionsHelper;
import org.opensearch.OpenSearchStatusException;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import io.multivector.rest.stats.FusionInFlight;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.index.query.BoolQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import io.multivector.plugin.search.MultiVectorExt;
import org.opensearch.search.SearchExtBuilder;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.transport.client.Client;

import java.util.ArrayList;
import java.util.Arrays;
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

    /** Fusions by reference that meet a changed reader view run again: this many times by reference, then by id. */
    private static final int REF_ATTEMPTS = 2;

    private final Client client;
    private final SubqueryRewrites rewrites;
    private final Subsearches subsearches;
    private final FusionInFlight inFlight;
    private volatile long maxWindowHits = MAX_WINDOW_HITS.getDefault(Settings.EMPTY);

    public FusionExecutor(Client client, NamedXContentRegistry registry, FusionInFlight inFlight) {
        this.inFlight = inFlight;
        this.client = client;
        this.rewrites = new SubqueryRewrites(registry);
        this.subsearches = new Subsearches(client);
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

    /**
     * The request with its top-level {@code fusion} replaced by the fused list; other requests unchanged. By reference
     * ({@code byRef}), the list names documents where the subqueries' reader views hold them, and the request gets
     * the preference that sends it to the same shard copies; a fusion that meets a changed view runs again, by id
     * the last time. Whoever runs a request by reference must run it again if it fails with {@link #viewChanged}.
     */
    public void resolve(SearchRequest request, FusionOptions defaults, boolean byRef, ActionListener<SearchRequest> listener) {
        if (isFusion(request) == false) {
            listener.onResponse(request);
            return;
        }
        FusionQueryBuilder fusion = (FusionQueryBuilder) request.source().query();
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
        attempt(request, fusion, defaults, byRef ? REF_ATTEMPTS : 0, ActionListener.runAfter(listener, () -> inFlight.end(hits)));
    }

    /**
     * {@code request} as one search ({@link OneSearchFusion}), or null where its fusion takes two rounds (and, there,
     * gets any 400 its options deserve). Counted in stats as a fusion by reference.
     */
    public SearchRequest oneSearch(SearchRequest request) {
        FusionQueryBuilder fusion = (FusionQueryBuilder) request.source().query();
        if (OneSearchFusion.applies(request, fusion) == false) {
            return null;
        }
        FusionOptions options;
        try {
            options = fusion.options().resolve(FusionOptions.NONE, fusion.queries().size());
        } catch (IllegalArgumentException e) {
            return null;
        }
        long hits = windowHits(fusion, FusionOptions.NONE);
        if (hits > maxWindowHits) {
            return null;
        }
        List<QueryBuilder> queries = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < fusion.queries().size(); i++) {
            queries.add(rewrites.withFilter(fusion.queries().get(i), fusion.filter()));
            names.add(fusion.subqueryName(i));
        }
        inFlight.start(hits);
        inFlight.byReference();
        inFlight.oneSearch();
        inFlight.end(hits); // the lists live in the search's own query phase results, which OpenSearch accounts for
        return OneSearchFusion.rewrite(request, queries, names, options);
    }

    /**
     * A listener for {@code original} run as one search: a list with equal scores makes it run again in two rounds, by
     * id; a subquery that failed on the shards fails the fusion as in two rounds, naming the subquery and the reason.
     */
    public ActionListener<SearchResponse> oneSearchListener(SearchRequest original, ActionListener<SearchResponse> listener) {
        return ActionListener.wrap(listener::onResponse, e -> {
            if (Subsearches.says(e, FusionListsProcessor.TWO_ROUNDS)) {
                searchAgainById(original, listener);
            } else if (Subsearches.saying(e, Subsearches.SUBQUERY) instanceof String reason) {
                String subquery = reason.substring(reason.indexOf(Subsearches.SUBQUERY)); // not "failed to create query: "
                listener.onFailure(new OpenSearchStatusException(subquery, ExceptionsHelper.status(e), e));
            } else {
                listener.onFailure(e);
            }
        });
    }

    private void attempt(SearchRequest request, FusionQueryBuilder fusion, FusionOptions defaults, int refAttempts,
                         ActionListener<SearchRequest> listener) {
        Subsearches.Pin pin = Subsearches.Pin.of(request, refAttempts > 0);
        ActionListener<Fused> done = ActionListener.wrap(fused -> {
            FusedDocsQueryBuilder list = new FusedDocsQueryBuilder(fused.method(), fused.names(), fusion.subqueryScores(), fused.hits());
            SearchSourceBuilder source = request.source().shallowCopy().query(list.boost(fusion.boost()).queryName(fusion.queryName()));
            highlightWithSubqueries(source, fusion);
            request.source(source);
            request.preference(pin.preference);
            if (pin.byRef) {
                inFlight.byReference();
            }
            listener.onResponse(request);
        }, e -> {
            if (refAttempts > 0 && Subsearches.viewChanged(e)) {
                inFlight.ranAgain();
                attempt(request, fusion, defaults, refAttempts - 1, listener);
            } else {
                listener.onFailure(e);
            }
        });
        try {
            fuse(request, fusion, defaults, null, pin, done);
        } catch (RuntimeException e) {
            done.onFailure(e);
        }
    }

    /**
     * Runs {@code request} (its {@code fusion} not yet fused) again, by id: the second try of a search whose list by
     * reference met another reader view. It goes through the action filters and the pipeline again, as a new search.
     */
    public void searchAgainById(SearchRequest request, ActionListener<SearchResponse> listener) {
        inFlight.ranAgain();
        List<SearchExtBuilder> exts = new ArrayList<>();
        MultiVectorExt own = null;
        for (SearchExtBuilder ext : request.source().ext()) {
            if (ext instanceof MultiVectorExt mine) {
                own = mine;
            } else {
                exts.add(ext);
            }
        }
        exts.add(new MultiVectorExt(own != null && own.includeVectors(), own != null && own.docRefs(), false));
        request.source(request.source().shallowCopy().ext(exts));
        client.search(request, listener);
    }

    /** Whether the request lets its fusion name documents by reference (the default; {@code fusion_by_reference: false} does not). */
    public static boolean byReference(SearchRequest request) {
        return request.source() == null || request.source().ext().stream()
            .noneMatch(ext -> ext instanceof MultiVectorExt mine && mine.fusionByReference() == false);
    }

    /** Whether a search of a fused list by reference met another reader view than its fusion's (and must run again). */
    public static boolean viewChanged(SearchResponse response) {
        return Arrays.stream(response.getShardFailures()).anyMatch(failure -> Subsearches.viewChanged(failure.reason()));
    }

    public static boolean viewChanged(Exception e) {
        return Subsearches.viewChanged(e);
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
                      Subsearches.Pin pin, ActionListener<Fused> listener) {
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
                    afterFusion(template, fusion, names, options, Fuser.fuse(List.of(lists), options), pin, listener);
                }
            }

            @Override
            public void onFailure(Exception e) {
                if (failed.compareAndSet(false, true)) {
                    listener.onFailure(e);
                }
            }
        };

        List<QueryBuilder> searched = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        FusionOptions nestedDefaults = new FusionOptions(defaults.method(), defaults.rankConstant(), defaults.normalization(), null,
            defaults.windowSize());
        for (int i = 0; i < queries.size(); i++) {
            int subquery = i;
            if (queries.get(i) instanceof FusionQueryBuilder nested) {
                fuse(template, nested, nestedDefaults, filter, pin, ActionListener.wrap(fused -> {
                    lists[subquery] = new RankedList(names.get(subquery),
                        fused.hits().stream().map(hit -> new RankedList.Hit(hit.doc(), hit.score())).toList());
                    oneDone.onResponse(null);
                }, e -> oneDone.onFailure(Subsearches.failure(names.get(subquery), e))));
            } else {
                searched.add(rewrites.withFilter(queries.get(i), filter));
                positions.add(i);
            }
        }
        if (searched.isEmpty()) {
            return;
        }
        subsearches.lists(template, searched, positions.stream().map(names::get).toList(), window, pin, ActionListener.wrap(found -> {
            for (int j = 0; j < found.size(); j++) {
                lists[positions.get(j)] = found.get(j);
                oneDone.onResponse(null);
            }
        }, oneDone::onFailure));
    }

    private void afterFusion(SearchRequest template, FusionQueryBuilder fusion, List<String> names, FusionOptions options,
                             List<FusedHit> fused, Subsearches.Pin pin, ActionListener<Fused> listener) {
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
        subsearches.lists(template, List.of(query), List.of("rerank"), window.size(), pin, ActionListener.wrap(
            reranked -> listener.onResponse(new Fused(method, names, Fuser.rerank(window, reranked.get(0).hits()))),
            listener::onFailure));
    }

    private static QueryBuilder and(QueryBuilder a, QueryBuilder b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : new BoolQueryBuilder().filter(a).filter(b);
    }
}
