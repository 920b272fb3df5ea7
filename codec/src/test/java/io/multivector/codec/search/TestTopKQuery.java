package io.multivector.codec.search;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.FeatureField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FilterWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LRUQueryCache;
import org.apache.lucene.search.QueryCachingPolicy;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Weight;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.index.RandomIndexWriter;
import org.apache.lucene.tests.util.LuceneTestCase;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

public class TestTopKQuery extends LuceneTestCase {

    public void testKeepsTheGlobalTopKOfLiveDocsAndComposes() throws Exception {
        try (Directory dir = newDirectory(); RandomIndexWriter writer = new RandomIndexWriter(random(), dir)) {
            int numDocs = atLeast(300);
            float[] values = new float[numDocs];
            for (int i = 0; i < numDocs; i++) {
                values[i] = 1 + random().nextInt(50); // many ties on purpose
                Document doc = new Document();
                doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
                doc.add(new StringField("parity", i % 2 == 0 ? "even" : "odd", Field.Store.NO));
                doc.add(new FeatureField("f", "x", values[i]));
                writer.addDocument(doc);
                if (rarely()) {
                    writer.commit();
                }
            }
            for (int i = 0; i < numDocs; i += 7) {
                writer.deleteDocuments(new Term("id", Integer.toString(i)));
            }
            try (IndexReader reader = writer.getReader()) {
                IndexSearcher searcher = newSearcher(reader);
                int k = 1 + random().nextInt(20);
                Query scoring = FeatureField.newLinearQuery("f", "x", 1f);
                TopDocs expected = searcher.search(scoring, k);
                TopDocs actual = searcher.search(new TopKQuery(scoring, k), 1000);
                assertEquals(Math.min(k, expected.totalHits.value()), actual.totalHits.value());
                assertEquals(scoresOf(expected), scoresOf(actual));
                for (ScoreDoc hit : actual.scoreDocs) {
                    int id = Integer.parseInt(searcher.storedFields().document(hit.doc).get("id"));
                    assertTrue("deleted doc returned", id % 7 != 0);
                    assertEquals(values[id], hit.score, 1e-3f);
                }
                // as a clause: a filter restricts the k found, never widens them
                Query filtered = new BooleanQuery.Builder().add(new TopKQuery(scoring, k), BooleanClause.Occur.MUST)
                    .add(new TermQuery(new Term("parity", "even")), BooleanClause.Occur.FILTER).build();
                TopDocs inFilter = searcher.search(filtered, 1000);
                for (ScoreDoc hit : inFilter.scoreDocs) {
                    int id = Integer.parseInt(searcher.storedFields().document(hit.doc).get("id"));
                    assertEquals(0, id % 2);
                }
                assertTrue(inFilter.totalHits.value() <= k);
            }
        }
    }

    /**
     * The inner query runs when the weight is created, not at rewrite: OpenSearch rewrites a shard's query again in
     * the fetch phase of a multi-shard search, which must not run the (HNSW or MaxSim) search again.
     */
    public void testRunsTheInnerQueryAtWeightCreationOnly() throws Exception {
        try (Directory dir = newDirectory(); RandomIndexWriter writer = new RandomIndexWriter(random(), dir)) {
            for (int i = 0; i < 50; i++) {
                Document doc = new Document();
                doc.add(new FeatureField("f", "x", 1 + i));
                writer.addDocument(doc);
            }
            try (IndexReader reader = writer.getReader()) {
                IndexSearcher searcher = newSearcher(reader);
                AtomicInteger runs = new AtomicInteger();
                TopKQuery topK = new TopKQuery(new Counting(FeatureField.newLinearQuery("f", "x", 1f), runs), 5);
                assertSame(topK, searcher.rewrite(topK));
                assertSame(topK, searcher.rewrite(searcher.rewrite(topK)));
                assertEquals(0, runs.get());
                TopDocs top = searcher.search(topK, 10);
                assertEquals(1, runs.get());
                assertEquals(5, top.scoreDocs.length);
                assertEquals(50f, top.scoreDocs[0].score, 1e-3f);
            }
        }
    }

    /** A query cache keys the weight by the (document, score) pairs of one reader: a later reader never sees them. */
    public void testQueryCacheNeverServesAnotherReadersTopK() throws Exception {
        try (Directory dir = newDirectory(); RandomIndexWriter writer = new RandomIndexWriter(random(), dir)) {
            for (int i = 0; i < 20; i++) {
                Document doc = new Document();
                doc.add(new StringField("all", "yes", Field.Store.NO));
                doc.add(new FeatureField("f", "x", 1 + i));
                writer.addDocument(doc);
            }
            writer.commit();
            LRUQueryCache cache = new LRUQueryCache(100, 1 << 20, ctx -> true, Float.POSITIVE_INFINITY);
            Query filtered = new BooleanQuery.Builder()
                .add(new TopKQuery(FeatureField.newLinearQuery("f", "x", 1f), 3), BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term("all", "yes")), BooleanClause.Occur.FILTER).build();
            try (DirectoryReader first = writer.getReader()) {
                IndexSearcher searcher = new IndexSearcher(first);
                searcher.setQueryCache(cache);
                searcher.setQueryCachingPolicy(ALWAYS);
                assertEquals(3, searcher.count(filtered));
                assertEquals(3, searcher.count(filtered));
            }
            for (int i = 0; i < 3; i++) { // three better documents in a new segment
                Document doc = new Document();
                doc.add(new StringField("all", "yes", Field.Store.NO));
                doc.add(new StringField("new", "yes", Field.Store.NO));
                doc.add(new FeatureField("f", "x", 100 + i));
                writer.addDocument(doc);
            }
            writer.commit();
            try (DirectoryReader second = writer.getReader()) {
                IndexSearcher searcher = new IndexSearcher(second);
                searcher.setQueryCache(cache);
                searcher.setQueryCachingPolicy(ALWAYS);
                Query onlyNew = new BooleanQuery.Builder().add(filtered, BooleanClause.Occur.FILTER)
                    .add(new TermQuery(new Term("new", "yes")), BooleanClause.Occur.FILTER).build();
                assertEquals(3, searcher.count(filtered));
                assertEquals(3, searcher.count(onlyNew));
            }
        }
    }

    private static final QueryCachingPolicy ALWAYS = new QueryCachingPolicy() {
        @Override
        public void onUse(Query query) {}

        @Override
        public boolean shouldCache(Query query) {
            return true;
        }
    };

    /** Counts how often its inner query is rewritten (a kNN query's search happens there). */
    private static final class Counting extends Query {
        private final Query in;
        private final AtomicInteger rewrites;

        Counting(Query in, AtomicInteger rewrites) {
            this.in = in;
            this.rewrites = rewrites;
        }

        @Override
        public Query rewrite(IndexSearcher searcher) throws java.io.IOException {
            rewrites.incrementAndGet();
            return new Counted(searcher.rewrite(in));
        }

        @Override
        public void visit(QueryVisitor visitor) {
            in.visit(visitor);
        }

        @Override
        public String toString(String field) {
            return "Counting(" + in.toString(field) + ")";
        }

        @Override
        public boolean equals(Object other) {
            return sameClassAs(other) && in.equals(((Counting) other).in);
        }

        @Override
        public int hashCode() {
            return in.hashCode();
        }
    }

    /** What {@link Counting} rewrites to: its weight is the inner query's. */
    private static final class Counted extends Query {
        private final Query in;

        Counted(Query in) {
            this.in = in;
        }

        @Override
        public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws java.io.IOException {
            return new FilterWeight(this, in.createWeight(searcher, scoreMode, boost)) {};
        }

        @Override
        public void visit(QueryVisitor visitor) {
            in.visit(visitor);
        }

        @Override
        public String toString(String field) {
            return "Counted(" + in.toString(field) + ")";
        }

        @Override
        public boolean equals(Object other) {
            return sameClassAs(other) && in.equals(((Counted) other).in);
        }

        @Override
        public int hashCode() {
            return 31 * in.hashCode();
        }
    }

    private static List<Float> scoresOf(TopDocs docs) {
        List<Float> scores = new ArrayList<>();
        for (ScoreDoc d : docs.scoreDocs) {
            scores.add(d.score);
        }
        scores.sort(Comparator.reverseOrder());
        return scores;
    }
}
