package io.multivector.plugin.fusion;

import io.multivector.plugin.search.MultiVectorExt;
import org.opensearch.ExceptionsHelper;
import org.opensearch.OpenSearchStatusException;
import org.opensearch.action.search.MultiSearchRequest;
import org.opensearch.action.search.SearchPhaseExecutionException;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.action.search.ShardSearchFailure;
import org.opensearch.common.UUIDs;
import org.opensearch.core.action.ActionListener;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.search.SearchHit;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.transport.client.Client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Runs subqueries as full distributed searches of their window (all at once, one {@code _msearch}) and returns their
 * global ranked lists, equal scores ordered by {@code _index} and {@code _id} so that the order never depends on
 * the shard layout.
 * <p>
 * By reference, hits are named where they are ({@link TopDocRefsAggregationBuilder} for vector subqueries, {@link DocRefs}
 * for the others) instead of by {@code _id}: reading a random document's {@code _id}
 * decompresses a stored-fields block (~10 µs), which for window 100 and four subqueries was a sixth of a fusion.
 * Text subqueries, whose lists are full of equal scores (BM25 on short fields), read their hits' {@code _id}s with
 * them; a tie in a vector subquery's list, rare, has its documents' {@code _id}s read by one more search. Every search of one fusion goes to the same shard copies (one preference) and must
 * see one reader view per shard; anything else is a {@link ViewChanged}, and the fusion runs again.
 */
final class Subsearches {

    /** How one fusion names documents, and the view of each shard its lists saw (by reference only). */
    static final class Pin {
        final boolean byRef;
        final String preference;
        private final ConcurrentMap<String, Long> views = new ConcurrentHashMap<>();

        private Pin(boolean byRef, String preference) {
            this.byRef = byRef;
            this.preference = preference;
        }

        /**
         * By reference: the request's preference, or one made up for this fusion, so every round asks the same copies.
         * Only a custom string names the same copy of every shard each time (OpenSearch hashes it); {@code _local} and
         * the other built-in preferences may rotate among copies, so with them a fusion goes by id.
         */
        static Pin of(SearchRequest request, boolean byRef) {
            String preference = request.preference();
            if (byRef == false || (preference != null && preference.startsWith("_"))) {
                return new Pin(false, preference);
            }
            return new Pin(true, preference != null ? preference : "multivector-fusion-" + UUIDs.randomBase64UUID());
        }

        private void sameView(RankedList.Doc doc) {
            Long seen = views.putIfAbsent(doc.index() + "/" + doc.shard(), doc.view());
            if (seen != null && seen != doc.view()) {
                throw new ViewChanged("shard [" + doc.shard() + "] of [" + doc.index() + "] showed two reader views");
            }
        }
    }

    /** A fusion by reference met two views of a shard: it runs again. */
    static final class ViewChanged extends RuntimeException {
        ViewChanged(String message) {
            super(message, null, false, false);
        }
    }

    private final Client client;

    Subsearches(Client client) {
        this.client = client;
    }

    /** The global lists of {@code queries}, named {@code names}, each search returning {@code size} hits. */
    void lists(SearchRequest template, List<QueryBuilder> queries, List<String> names, int size, Pin pin,
               ActionListener<List<RankedList>> listener) {
        MultiSearchRequest searches = new MultiSearchRequest();
        for (QueryBuilder query : queries) {
            // a text query's equal scores are common (BM25 of short fields), and need ids: read them with the hits
            searches.add(search(template, query, size, pin, SubqueryRewrites.isVectorQuery(query)));
        }
        searches.maxConcurrentSearchRequests(queries.size());
        client.multiSearch(searches, ActionListener.wrap(responses -> {
            List<List<RankedList.Hit>> lists = new ArrayList<>();
            Map<RankedList.Doc, String> ids = new HashMap<>();
            for (int i = 0; i < queries.size(); i++) {
                var item = responses.getResponses()[i];
                if (item.isFailure()) {
                    throw failure(names.get(i), item.getFailure());
                }
                lists.add(hits(item.getResponse(), pin, ids));
            }
            orderTies(template, lists, names, pin, ids, listener);
        }, listener::onFailure));
    }

    /**
     * One subquery's search. By reference its hits carry where they are; those of a vector subquery come as a
     * {@code top_doc_refs} aggregation instead of hits, without their {@code _id}.
     */
    private static SearchRequest search(SearchRequest template, QueryBuilder query, int size, Pin pin, boolean refsOnly) {
        SearchRequest search = new SearchRequest(template.indices());
        search.indicesOptions(template.indicesOptions());
        search.routing(template.routing());
        search.preference(pin.preference);
        search.searchType(template.searchType()); // dfs_query_then_fetch: BM25 statistics of the whole index, as asked
        if (template.allowPartialSearchResults() != null) {
            search.allowPartialSearchResults(template.allowPartialSearchResults());
        }
        SearchSourceBuilder source = new SearchSourceBuilder().query(query).fetchSource(false).trackTotalHits(false);
        if (pin.byRef && refsOnly) {
            // the list comes back with the query phase: no fetch phase, whose round trip cost ~0.5 ms of ~10
            source.size(0).aggregation(new TopDocRefsAggregationBuilder(TopDocRefsAggregationBuilder.NAME, size));
            search.requestCache(false); // a list of references is good for one view of the index only, and rarely asked again
        } else {
            source.size(size);
            if (pin.byRef) {
                source.ext(List.of(new MultiVectorExt(false, true, true)));
            }
        }
        if (template.source() != null && template.source().timeout() != null) {
            source.timeout(template.source().timeout());
        }
        return search.source(source);
    }

    /** The response's hits, and into {@code ids} the {@code _id} of those by reference that came with theirs. */
    private static List<RankedList.Hit> hits(SearchResponse response, Pin pin, Map<RankedList.Doc, String> ids) {
        for (ShardSearchFailure failure : response.getShardFailures()) {
            if (viewChanged(failure.reason())) {
                throw new ViewChanged(failure.reason());
            }
        }
        if (response.getAggregations() != null && response.getAggregations().get(TopDocRefsAggregationBuilder.NAME) instanceof
            InternalTopDocRefs refs) {
            refs.hits().forEach(hit -> pin.sameView(hit.doc()));
            return refs.hits();
        }
        List<RankedList.Hit> hits = new ArrayList<>(response.getHits().getHits().length);
        for (SearchHit hit : response.getHits().getHits()) {
            RankedList.Doc doc = pin.byRef ? DocRefs.of(hit) : RankedList.Doc.byId(hit.getIndex(), hit.getId());
            if (doc == null) {
                throw new ViewChanged("a hit of [" + hit.getIndex() + "] came without its reference");
            }
            if (pin.byRef) {
                pin.sameView(doc);
                if (hit.getId() != null) {
                    ids.put(doc, hit.getId());
                }
            }
            hits.add(new RankedList.Hit(doc, hit.getScore()));
        }
        return hits;
    }

    /** Reads the {@code _id} of every document tied with another in its list (by reference; by id they are known), then orders. */
    private void orderTies(SearchRequest template, List<List<RankedList.Hit>> lists, List<String> names, Pin pin,
                           Map<RankedList.Doc, String> ids, ActionListener<List<RankedList>> listener) {
        Set<RankedList.Doc> tied = new LinkedHashSet<>();
        if (pin.byRef) {
            for (List<RankedList.Hit> hits : lists) {
                for (int i = 1; i < hits.size(); i++) {
                    if (hits.get(i).score() == hits.get(i - 1).score()) {
                        tied.add(hits.get(i - 1).doc());
                        tied.add(hits.get(i).doc());
                    }
                }
            }
        }
        tied.removeAll(ids.keySet());
        if (tied.isEmpty()) {
            listener.onResponse(ordered(lists, names, ids));
            return;
        }
        SearchRequest lookup = search(template, FusedDocsQueryBuilder.lookup(List.copyOf(tied)), tied.size(), pin, false);
        client.search(lookup, ActionListener.wrap(response -> {
            hits(response, pin, ids); // the same view, or ViewChanged
            if (ids.keySet().containsAll(tied) == false) {
                throw new ViewChanged("a tied document was not found again");
            }
            listener.onResponse(ordered(lists, names, ids));
        }, e -> listener.onFailure(failure("ties", e))));
    }

    private static List<RankedList> ordered(List<List<RankedList.Hit>> lists, List<String> names, Map<RankedList.Doc, String> ids) {
        Comparator<RankedList.Hit> order = order(ids);
        List<RankedList> result = new ArrayList<>(lists.size());
        for (int i = 0; i < lists.size(); i++) {
            List<RankedList.Hit> hits = new ArrayList<>(lists.get(i));
            hits.sort(order);
            result.add(new RankedList(names.get(i), hits));
        }
        return result;
    }

    /** A list's order: best score first, equal scores by index and {@code _id} ({@code ids} has those of documents by reference). */
    static Comparator<RankedList.Hit> order(Map<RankedList.Doc, String> ids) {
        return Comparator.comparingDouble((RankedList.Hit hit) -> -hit.score()).thenComparing(hit -> withId(hit.doc(), ids), RankedList.Doc.ORDER);
    }

    private static RankedList.Doc withId(RankedList.Doc doc, Map<RankedList.Doc, String> ids) {
        String id = ids.get(doc);
        return id == null ? doc : new RankedList.Doc(doc.index(), id, doc.shard(), doc.luceneDoc(), doc.view());
    }

    static boolean viewChanged(String reason) {
        return reason != null && reason.contains(FusedDocsQuery.VIEW_CHANGED);
    }

    /** Whether a failure is, or was caused by, a fusion by reference meeting another reader view. */
    static boolean viewChanged(Exception e) {
        return ExceptionsHelper.unwrapCause(e) instanceof ViewChanged || says(e, FusedDocsQuery.VIEW_CHANGED);
    }

    /** Whether {@code e}, a cause or suppressed failure of it, or a shard failure of a search phase, says {@code marker}. */
    static boolean says(Throwable e, String marker) {
        return saying(e, marker) != null;
    }

    /**
     * The first message of {@code e}, its causes, suppressed failures and search phases' shard failures (depth first)
     * that says {@code marker}; null if none does.
     */
    static String saying(Throwable e, String marker) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains(marker)) {
                return cause.getMessage();
            }
            if (cause instanceof SearchPhaseExecutionException phase) {
                for (ShardSearchFailure failure : phase.shardFailures()) {
                    String said = failure.getCause() != null ? saying(failure.getCause(), marker) : null;
                    if (said == null && failure.reason() != null && failure.reason().contains(marker)) {
                        said = failure.reason();
                    }
                    if (said != null) {
                        return said;
                    }
                }
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                String said = saying(suppressed, marker);
                if (said != null) {
                    return said;
                }
            }
        }
        return null;
    }

    /** How a subquery's failure begins: {@code [fusion] subquery [name] failed: } and the reason. */
    static final String SUBQUERY = "[fusion] subquery ";

    /** A subquery's failure, said so: which subquery failed and why (a search's shards' reason, not "all shards failed"). */
    static RuntimeException failure(String name, Exception e) {
        if (viewChanged(e)) {
            return e instanceof ViewChanged changed ? changed : new ViewChanged(e.getMessage());
        }
        Throwable cause = ExceptionsHelper.unwrapCause(e);
        if (cause.getMessage() != null && cause.getMessage().startsWith(SUBQUERY)) {
            return e instanceof RuntimeException runtime ? runtime : new OpenSearchStatusException(cause.getMessage(), ExceptionsHelper.status(cause), e);
        }
        String reason = cause.getMessage();
        if (cause instanceof SearchPhaseExecutionException phase && phase.shardFailures().length > 0) {
            reason = phase.shardFailures()[0].reason(); // "all shards failed" says nothing; the shards' reason does
        }
        return new OpenSearchStatusException(SUBQUERY + "[" + name + "] failed: " + reason, ExceptionsHelper.status(cause), e);
    }
}
