package io.multivector.codec.candidates;

import io.multivector.codec.MultiVectorCodec;
import io.multivector.codec.multivector.ElementType;
import io.multivector.codec.multivector.MaxSimQuery;
import io.multivector.codec.multivector.MultiVectorField;
import io.multivector.codec.multivector.TokenSimilarity;
import io.multivector.codec.search.TopKQuery;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/** Approximate MaxSim through a real index with the codec's candidate field, against exact MaxSim on the same index. */
public class TestCandidateMaxSimQuery extends LuceneTestCase {

    private static final int DIMS = 32;
    private static final KnnVectorsFormat GRAPH = new Lucene99HnswVectorsFormat(16, 100);

    public void testAllDocumentsAsCandidatesGiveTheExactTopK() throws Exception {
        FixedDimensionalEncoding fde = new FixedDimensionalEncoding(DIMS, 3, 8, 4, random().nextLong());
        try (Directory dir = newDirectory()) {
            float[][][] docs = index(dir, fde, 300, doc -> true);
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                IndexSearcher searcher = newSearcher(reader);
                float[][] query = clustered(new Random(random().nextLong()), 8);
                TopDocs exact = searcher.search(new TopKQuery(exactQuery(query, null), 10), 10);
                TopDocs approximate = searcher.search(candidates(query, fde, 10, 300, null), 10);
                assertSameHits(exact, approximate);
            }
        }
    }

    public void testFewCandidatesStillFindMostOfTheExactTopK() throws Exception {
        FixedDimensionalEncoding fde = new FixedDimensionalEncoding(DIMS, 4, 16, 8, random().nextLong());
        try (Directory dir = newDirectory()) {
            index(dir, fde, 2000, doc -> true);
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                IndexSearcher searcher = newSearcher(reader);
                Random random = new Random(random().nextLong());
                double recall = 0;
                int queries = 20;
                for (int i = 0; i < queries; i++) {
                    float[][] query = clustered(random, 8);
                    TopDocs exact = searcher.search(new TopKQuery(exactQuery(query, null), 10), 10);
                    TopDocs approximate = searcher.search(candidates(query, fde, 10, 200, null), 10);
                    recall += overlap(exact, approximate) / 10.0 / queries;
                    for (ScoreDoc hit : approximate.scoreDocs) { // candidates are scored exactly
                        assertEquals(searcher.explain(exactQuery(query, null), hit.doc).getValue().floatValue(), hit.score, 1e-4f);
                    }
                }
                assertTrue("recall@10 with 10% of the documents as candidates: " + recall, recall >= 0.8);
            }
        }
    }

    public void testSelectiveFilterStillGivesKHits() throws Exception {
        FixedDimensionalEncoding fde = new FixedDimensionalEncoding(DIMS, 4, 16, 4, random().nextLong());
        try (Directory dir = newDirectory()) {
            index(dir, fde, 1500, doc -> true);
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                IndexSearcher searcher = newSearcher(reader);
                Query rare = new TermQuery(new Term("bucket", "0")); // 1% of the documents
                float[][] query = clustered(new Random(random().nextLong()), 8);
                TopDocs approximate = searcher.search(candidates(query, fde, 10, 20, rare), 10);
                assertEquals(10, approximate.scoreDocs.length);
                for (ScoreDoc hit : approximate.scoreDocs) {
                    assertEquals("0", reader.storedFields().document(hit.doc).get("bucket"));
                }
                TopDocs exact = searcher.search(new TopKQuery(exactQuery(query, rare), 10), 10);
                assertTrue(overlap(exact, approximate) >= 8);
            }
        }
    }

    /** Segments written without encodings (or with some documents lacking them after a merge) are scored exactly. */
    public void testSegmentsWithoutEncodingsAreScoredExactly() throws Exception {
        FixedDimensionalEncoding fde = new FixedDimensionalEncoding(DIMS, 4, 8, 2, random().nextLong());
        FixedDimensionalEncoding other = new FixedDimensionalEncoding(DIMS, 4, 8, 2, random().nextLong() ^ 1);
        try (Directory dir = newDirectory()) {
            // the first 400 documents have no encodings, the next 400 encodings under other parameters
            index(dir, null, 400, doc -> false);
            index(dir, other, 400, doc -> true);
            boolean merge = random().nextBoolean();
            if (merge) {
                try (IndexWriter writer = new IndexWriter(dir, config())) {
                    writer.forceMerge(1);
                }
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                IndexSearcher searcher = newSearcher(reader);
                float[][] query = clustered(new Random(random().nextLong()), 8);
                TopDocs exact = searcher.search(new TopKQuery(exactQuery(query, null), 10), 10);
                TopDocs approximate = searcher.search(candidates(query, fde, 10, 10, null), 10);
                assertSameHits(exact, approximate);
            }
        }
    }

    private static Query exactQuery(float[][] query, Query filter) {
        return new MaxSimQuery("t", DIMS, ElementType.FLOAT, TokenSimilarity.DOT_PRODUCT, query, filter);
    }

    private static Query candidates(float[][] query, FixedDimensionalEncoding fde, int k, int numCandidates, Query filter) {
        return new CandidateMaxSimQuery("t", DIMS, ElementType.FLOAT, TokenSimilarity.DOT_PRODUCT, query, fde, k, numCandidates, filter);
    }

    private static IndexWriterConfig config() {
        return new IndexWriterConfig().setCodec(new MultiVectorCodec(new Lucene104Codec(), "t"::equals,
            field -> CandidateField.isCandidateField(field) ? GRAPH : null));
    }

    /** Appends documents of clustered token vectors; {@code fde} null or {@code encode} false: no encodings. */
    private float[][][] index(Directory dir, FixedDimensionalEncoding fde, int numDocs,
                              java.util.function.IntPredicate encode) throws Exception {
        Random random = new Random(random().nextLong());
        float[][][] docs = new float[numDocs][][];
        try (IndexWriter writer = new IndexWriter(dir, config())) {
            for (int i = 0; i < numDocs; i++) {
                docs[i] = clustered(random, 8 + random.nextInt(24));
                Document doc = new Document();
                doc.add(new StringField("bucket", Integer.toString(i % 100), Field.Store.YES));
                doc.add(new MultiVectorField("t", docs[i], DIMS, ElementType.FLOAT, TokenSimilarity.DOT_PRODUCT));
                if (fde != null && encode.test(i)) {
                    doc.add(CandidateField.create("t", fde, docs[i]));
                }
                writer.addDocument(doc);
                if (random.nextInt(500) == 0) {
                    writer.commit();
                }
            }
        }
        TestUtil.checkIndex(dir);
        return docs;
    }

    /** Token vectors around 64 shared topics, as text embeddings cluster. */
    private static final float[][] TOPICS = TestFixedDimensionalEncoding.unitVectors(new Random(11), 64, DIMS);

    private static float[][] clustered(Random random, int n) {
        return TestFixedDimensionalEncoding.near(random, TOPICS, n, DIMS);
    }

    private static int overlap(TopDocs a, TopDocs b) {
        Set<Integer> docs = new HashSet<>();
        Arrays.stream(a.scoreDocs).forEach(d -> docs.add(d.doc));
        return (int) Arrays.stream(b.scoreDocs).filter(d -> docs.contains(d.doc)).count();
    }

    private static void assertSameHits(TopDocs expected, TopDocs actual) {
        assertEquals(expected.scoreDocs.length, actual.scoreDocs.length);
        for (int i = 0; i < expected.scoreDocs.length; i++) {
            assertEquals(expected.scoreDocs[i].doc, actual.scoreDocs[i].doc);
            assertEquals(expected.scoreDocs[i].score, actual.scoreDocs[i].score, 0f);
        }
    }
}
