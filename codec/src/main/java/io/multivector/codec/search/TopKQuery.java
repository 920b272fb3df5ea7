package io.multivector.codec.search;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.BulkScorer;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FilterWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.PriorityQueue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Keeps only the k best documents of the whole index for an inner query, like a kNN query does: the inner query
 * is run once, when the weight is created, over every segment (in parallel on the searcher's executor), and its
 * weight is that of the fixed set of (document, score) pairs. So "the k nearest" composes with other clauses in a
 * bool query and with fusion, and paging never re-ranks. Ties go to the lower document id; deleted documents never
 * count.
 *
 * <p>Not at rewrite: OpenSearch rewrites a shard's query again for every phase that builds a search context (the
 * fetch phase of a search over several shards, for one), and a query whose work is done at rewrite does it again
 * each time (an HNSW search, or a MaxSim scan). The query phase is the only one that creates the weight of the
 * main query, so the inner query runs once per search, as opensearch-knn's lucene engine does it.
 */
public final class TopKQuery extends Query {

    private final Query inner;
    private final int k;

    public TopKQuery(Query inner, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got [" + k + "]");
        }
        this.inner = Objects.requireNonNull(inner);
        this.k = k;
    }

    public Query inner() {
        return inner;
    }

    public int k() {
        return k;
    }

    /** Stays as it is: the inner query runs when the weight is created (see the class comment). */
    @Override
    public Query rewrite(IndexSearcher searcher) {
        return this;
    }

    /**
     * Runs the inner query and keeps its k best documents: the weight is that of their (document, score) pairs.
     * Never cacheable: a query cache keeps entries per segment under the query (this one, or a bool query around
     * it), and which documents of a segment are in the k best depends on the other segments of the reader.
     */
    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        return new FilterWeight(this, resolve(searcher).createWeight(searcher, scoreMode, boost)) {
            @Override
            public boolean isCacheable(LeafReaderContext ctx) {
                return false;
            }
        };
    }

    /** The k best (document, score) pairs of the inner query over the searcher's whole index. */
    public DocScoreQuery resolve(IndexSearcher searcher) throws IOException {
        Weight weight = searcher.createWeight(searcher.rewrite(inner), ScoreMode.TOP_SCORES, 1f);
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        List<Callable<TopDocs>> tasks = new ArrayList<>(leaves.size());
        for (LeafReaderContext leaf : leaves) {
            tasks.add(() -> topOfLeaf(weight, leaf));
        }
        TopDocs[] perLeaf = searcher.getTaskExecutor().invokeAll(tasks).toArray(TopDocs[]::new);
        TopDocs top = TopDocs.merge(k, perLeaf);
        return DocScoreQuery.of(searcher.getIndexReader(), top.scoreDocs, toString());
    }

    private TopDocs topOfLeaf(Weight weight, LeafReaderContext leaf) throws IOException {
        BulkScorer scorer = weight.bulkScorer(leaf);
        if (scorer == null) {
            return new TopDocs(new TotalHits(0, TotalHits.Relation.EQUAL_TO), new ScoreDoc[0]);
        }
        Heap heap = new Heap(k);
        scorer.score(new LeafCollector() {
            private Scorable scorable;

            @Override
            public void setScorer(Scorable scorable) {
                this.scorable = scorable;
            }

            @Override
            public void collect(int doc) throws IOException {
                float score = scorable.score();
                ScoreDoc least = heap.top();
                if (heap.size() < k) {
                    heap.add(new ScoreDoc(leaf.docBase + doc, score));
                } else if (score > least.score) { // docs arrive in increasing order: a tie keeps the earlier doc
                    least.doc = leaf.docBase + doc;
                    least.score = score;
                    heap.updateTop();
                }
            }
        }, leaf.reader().getLiveDocs(), 0, DocIdSetIterator.NO_MORE_DOCS);
        ScoreDoc[] docs = new ScoreDoc[heap.size()];
        for (int i = docs.length - 1; i >= 0; i--) {
            docs[i] = heap.pop();
        }
        return new TopDocs(new TotalHits(docs.length, TotalHits.Relation.EQUAL_TO), docs);
    }

    /** Least score on top; among equal scores the higher doc id is "less", so it goes first. */
    private static final class Heap extends PriorityQueue<ScoreDoc> {
        Heap(int size) {
            super(size);
        }

        @Override
        protected boolean lessThan(ScoreDoc a, ScoreDoc b) {
            return a.score < b.score || (a.score == b.score && a.doc > b.doc);
        }
    }

    @Override
    public void visit(QueryVisitor visitor) {
        inner.visit(visitor.getSubVisitor(org.apache.lucene.search.BooleanClause.Occur.MUST, this));
    }

    @Override
    public String toString(String field) {
        return "TopK(" + k + ", " + inner.toString(field) + ")";
    }

    @Override
    public boolean equals(Object other) {
        return sameClassAs(other) && k == ((TopKQuery) other).k && inner.equals(((TopKQuery) other).inner);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), inner, k);
    }
}
