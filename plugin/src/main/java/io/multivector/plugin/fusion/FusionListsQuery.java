package io.multivector.plugin.fusion;

import io.multivector.codec.search.DocScoreQuery;
import io.multivector.codec.search.TopKQuery;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.FilterWeight;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Weight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.opensearch.index.fieldvisitor.IdOnlyFieldVisitor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The shard side of a fusion in one search ({@link OneSearchFusion}). Its weight searches each subquery for the
 * shard's best {@code window_size} documents (as a search of that size keeps them: equal scores, the lower doc id
 * first) and matches the shard's own fusion of those lists. The shard's top docs are thus its fused documents: with one
 * shard they are the answer and the shard fetches its page at once; with more, the coordinating node fuses every
 * shard's lists ({@link FusionListsAggregator} ships them) and gives each shard its part of the one fused list.
 */
final class FusionListsQuery extends Query {

    /**
     * What one shard found: per subquery its best documents, and its own fusion of them, best first; and the {@code _id}
     * (by Lucene doc id) of every document a list ties with another, and of every document of a list that {@code readIds}.
     */
    record Lists(List<List<RankedList.Hit>> lists, List<FusedHit> fused, Map<Integer, String> ids) {}

    private final Query[] subqueries;
    private final boolean[] readIds;
    private final List<String> names;
    private final FusionOptions options;
    private final String index;
    private final int shard;
    private Lists found;

    /**
     * {@code readIds}: per subquery, whether the {@code _id} of every document of its list goes with it (text subqueries:
     * their lists are full of equal scores, also between shards, which only {@code _id}s order).
     */
    FusionListsQuery(Query[] subqueries, boolean[] readIds, List<String> names, FusionOptions options, String index, int shard) {
        this.subqueries = subqueries;
        this.readIds = readIds;
        this.names = names;
        this.options = options;
        this.index = index;
        this.shard = shard;
    }

    int window() {
        return options.windowSize();
    }

    /**
     * The shard's lists, searched on the first call (the query phase's weight makes it). The subqueries run at once on
     * the searcher's executor, as two rounds run them as separate searches: OpenSearch gives a shard's searcher the
     * concurrent segment search threads unless that mode is {@code none}; without them, one after another.
     */
    synchronized Lists lists(IndexSearcher searcher) throws IOException {
        if (found == null) {
            int window = options.windowSize();
            long view = ReaderView.of(searcher.getIndexReader());
            List<Callable<TopDocs>> searches = new ArrayList<>(subqueries.length);
            for (Query subquery : subqueries) {
                searches.add(() -> searcher.search(subquery, new TopScoreDocCollectorManager(window, null, window)));
            }
            List<TopDocs> tops = searcher.getTaskExecutor().invokeAll(searches);
            List<List<RankedList.Hit>> lists = new ArrayList<>(subqueries.length);
            for (int i = 0; i < subqueries.length; i++) {
                List<RankedList.Hit> hits = new ArrayList<>(tops.get(i).scoreDocs.length);
                for (ScoreDoc doc : tops.get(i).scoreDocs) {
                    hits.add(new RankedList.Hit(RankedList.Doc.byRef(index, shard, doc.doc, view), doc.score));
                }
                lists.add(hits);
            }
            Map<Integer, String> ids = ids(searcher, lists);
            Map<RankedList.Doc, String> byDoc = new HashMap<>();
            putIds(lists, ids, byDoc);
            // equal scores by _id, as two rounds order them: with one shard, this shard's fusion is the answer
            List<RankedList> ranked = new ArrayList<>(subqueries.length);
            for (int i = 0; i < subqueries.length; i++) {
                lists.get(i).sort(Subsearches.order(byDoc));
                ranked.add(new RankedList(names.get(i), lists.get(i)));
            }
            found = new Lists(lists, Fuser.fuse(ranked, options), ids);
        }
        return found;
    }

    /** Into {@code byDoc}: the {@code _id} of each of one shard's hits that {@code ids} (by Lucene doc id) has. */
    static void putIds(List<List<RankedList.Hit>> lists, Map<Integer, String> ids, Map<RankedList.Doc, String> byDoc) {
        for (List<RankedList.Hit> hits : lists) {
            for (RankedList.Hit hit : hits) {
                String id = ids.get(hit.doc().luceneDoc());
                if (id != null) {
                    byDoc.put(hit.doc(), id);
                }
            }
        }
    }

    /** The {@code _id}s that order equal scores as two rounds order them: of tied documents, and of every hit of a list that reads them. */
    private Map<Integer, String> ids(IndexSearcher searcher, List<List<RankedList.Hit>> lists) throws IOException {
        Map<Integer, String> ids = new HashMap<>();
        StoredFields stored = null;
        for (int i = 0; i < lists.size(); i++) {
            List<RankedList.Hit> hits = lists.get(i);
            for (int j = 0; j < hits.size(); j++) {
                float score = hits.get(j).score();
                boolean tied = (j > 0 && hits.get(j - 1).score() == score) || (j + 1 < hits.size() && hits.get(j + 1).score() == score);
                int doc = hits.get(j).doc().luceneDoc();
                if ((readIds[i] || tied) && ids.containsKey(doc) == false) {
                    stored = stored == null ? searcher.storedFields() : stored;
                    IdOnlyFieldVisitor visitor = new IdOnlyFieldVisitor();
                    stored.document(doc, visitor);
                    ids.put(doc, visitor.getId());
                }
            }
        }
        return ids;
    }

    /** Stays as it is: the lists are searched when the weight is created, as {@link TopKQuery} explains. */
    @Override
    public Query rewrite(IndexSearcher searcher) {
        return this;
    }

    /** The shard's fused documents with their scores; never cacheable (they depend on the whole shard). */
    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        List<FusedHit> fused = lists(searcher).fused();
        ScoreDoc[] docs = new ScoreDoc[fused.size()];
        for (int i = 0; i < docs.length; i++) {
            docs[i] = new ScoreDoc(fused.get(i).doc().luceneDoc(), fused.get(i).score());
        }
        Weight weight = DocScoreQuery.of(searcher.getIndexReader(), docs, "the shard's fusion").createWeight(searcher, scoreMode, boost);
        return new FilterWeight(this, weight) {
            @Override
            public boolean isCacheable(LeafReaderContext ctx) {
                return false;
            }
        };
    }

    @Override
    public void visit(QueryVisitor visitor) {
        visitor.visitLeaf(this);
    }

    @Override
    public String toString(String field) {
        return "FusionLists(" + names + ")";
    }

    @Override
    public boolean equals(Object other) {
        return this == other; // holds what its shard found: never shared with another search, nor cached as another's
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
