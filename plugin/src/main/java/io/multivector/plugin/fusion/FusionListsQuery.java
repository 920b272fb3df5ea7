package io.multivector.plugin.fusion;

import io.multivector.codec.search.DocScoreQuery;
import io.multivector.codec.search.TopKQuery;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.FilterWeight;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Weight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The shard side of a fusion in one search ({@link OneSearchFusion}). Its weight searches each subquery for the
 * shard's best {@code window_size} documents (as a search of that size keeps them: equal scores, the lower doc id
 * first) and matches the shard's own fusion of those lists. The shard's top docs are thus its fused documents: with one
 * shard they are the answer and the shard fetches its page at once; with more, the coordinating node fuses every
 * shard's lists ({@link FusionListsAggregator} ships them) and gives each shard its part of the one fused list.
 */
final class FusionListsQuery extends Query {

    /** What one shard found: per subquery its best documents, and its own fusion of them, best first. */
    record Lists(List<List<RankedList.Hit>> lists, List<FusedHit> fused) {}

    private final Query[] subqueries;
    private final List<String> names;
    private final FusionOptions options;
    private final String index;
    private final int shard;
    private Lists found;

    FusionListsQuery(Query[] subqueries, List<String> names, FusionOptions options, String index, int shard) {
        this.subqueries = subqueries;
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
            List<RankedList> ranked = new ArrayList<>(subqueries.length);
            for (int i = 0; i < subqueries.length; i++) {
                List<RankedList.Hit> hits = new ArrayList<>(tops.get(i).scoreDocs.length);
                for (ScoreDoc doc : tops.get(i).scoreDocs) {
                    hits.add(new RankedList.Hit(RankedList.Doc.byRef(index, shard, doc.doc, view), doc.score));
                }
                lists.add(hits);
                ranked.add(new RankedList(names.get(i), hits));
            }
            found = new Lists(lists, Fuser.fuse(ranked, options));
        }
        return found;
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
