package io.multivector.codec.multivector;

import io.multivector.codec.MultiVectorCodec;
import io.multivector.codec.search.TopKQuery;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
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
import org.apache.lucene.util.BytesRef;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** MaxSim through a real index written with the plugin's codec, against a double-precision brute force. */
public class TestMaxSimQuery extends LuceneTestCase {

    public void testScoresAndTopKMatchBruteForceForEveryPrecisionAndSimilarity() throws Exception {
        for (ElementType type : ElementType.values()) {
            for (TokenSimilarity similarity : TokenSimilarity.values()) {
                checkAgainstBruteForce(type, similarity);
            }
        }
    }

    private void checkAgainstBruteForce(ElementType type, TokenSimilarity similarity) throws Exception {
        int dims = 1 + random().nextInt(40), numDocs = 200 + random().nextInt(200);
        float[][][] docs = new float[numDocs][][];
        try (Directory dir = newDirectory()) {
            IndexWriterConfig config = new IndexWriterConfig()
                .setCodec(new MultiVectorCodec(new Lucene104Codec(), "t"::equals, field -> null));
            try (IndexWriter writer = new IndexWriter(dir, config)) {
                for (int i = 0; i < numDocs; i++) {
                    Document doc = new Document();
                    doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
                    doc.add(new StringField("parity", i % 2 == 0 ? "even" : "odd", Field.Store.NO));
                    if (i % 10 != 3) { // some documents have no vectors
                        docs[i] = randomMatrix(1 + random().nextInt(12), dims);
                        doc.add(new MultiVectorField("t", docs[i], dims, type, similarity));
                    }
                    writer.addDocument(doc);
                    if (random().nextInt(80) == 0) {
                        writer.commit();
                    }
                }
                writer.deleteDocuments(new Term("id", "0"));
                docs[0] = null;
                if (random().nextBoolean()) {
                    writer.forceMerge(1);
                }
            }
            TestUtil.checkIndex(dir);
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                IndexSearcher searcher = newSearcher(reader);
                float[][] query = randomMatrix(1 + random().nextInt(6), dims);
                double[] expected = new double[numDocs];
                for (int i = 0; i < numDocs; i++) {
                    expected[i] = docs[i] == null ? Double.NaN : TokenSimilarity.toScore((float) bruteForce(query, docs[i], type, similarity, dims));
                }
                MaxSimQuery maxSim = new MaxSimQuery("t", dims, type, similarity, query, null);
                TopDocs all = searcher.search(maxSim, numDocs);
                long withVectors = Arrays.stream(expected).filter(x -> Double.isNaN(x) == false).count();
                assertEquals(withVectors, all.totalHits.value());
                for (ScoreDoc hit : all.scoreDocs) {
                    int id = idOf(searcher, hit.doc);
                    assertEquals(type + "/" + similarity, expected[id], hit.score, 1e-3 * Math.max(1, Math.abs(expected[id])));
                }
                int k = 1 + random().nextInt(10);
                TopDocs top = searcher.search(new TopKQuery(maxSim, k), 100);
                double[] topExpected = IntStream.range(0, numDocs).filter(i -> docs[i] != null).mapToDouble(i -> expected[i]).sorted().toArray();
                assertEquals(Math.min(k, withVectors), top.scoreDocs.length);
                for (int r = 0; r < top.scoreDocs.length; r++) {
                    double want = topExpected[topExpected.length - 1 - r];
                    assertEquals(want, top.scoreDocs[r].score, 1e-3 * Math.max(1, Math.abs(want)));
                }
                Query filter = new TermQuery(new Term("parity", "even"));
                TopDocs filtered = searcher.search(new MaxSimQuery("t", dims, type, similarity, query, filter), numDocs);
                for (ScoreDoc hit : filtered.scoreDocs) {
                    assertEquals(0, idOf(searcher, hit.doc) % 2);
                }
                assertEquals(IntStream.range(0, numDocs).filter(i -> docs[i] != null && i % 2 == 0).count(), filtered.totalHits.value());
            }
        }
    }

    /** Naive MaxSim on what the field stores: the decoded (rounded) vectors, in double precision. */
    private static double bruteForce(float[][] query, float[][] doc, ElementType type, TokenSimilarity similarity, int dims) {
        float[][] stored = type.decode(new BytesRef(type.encode(normalizedIfCosine(doc, similarity), dims)), dims);
        float[][] q = MaxSim.prepareVectors(query, dims, type, similarity);
        double sum = 0;
        for (float[] qi : q) {
            double best = Double.NEGATIVE_INFINITY;
            for (float[] dj : stored) {
                double sim = 0;
                for (int d = 0; d < dims; d++) {
                    sim += similarity == TokenSimilarity.L2 && type != ElementType.BIT ? -(double) (qi[d] - dj[d]) * (qi[d] - dj[d])
                        : (double) qi[d] * dj[d];
                }
                best = Math.max(best, sim);
            }
            sum += best;
        }
        return sum;
    }

    private static float[][] normalizedIfCosine(float[][] doc, TokenSimilarity similarity) {
        if (similarity != TokenSimilarity.COSINE) {
            return doc;
        }
        float[][] copy = new float[doc.length][];
        for (int i = 0; i < doc.length; i++) {
            copy[i] = doc[i].clone();
            TokenSimilarity.normalize(copy[i]);
        }
        return copy;
    }

    private static int idOf(IndexSearcher searcher, int doc) throws java.io.IOException {
        return Integer.parseInt(searcher.storedFields().document(doc).get("id"));
    }

    static float[][] randomMatrix(int rows, int dims) {
        float[][] m = new float[rows][dims];
        for (float[] v : m) {
            for (int d = 0; d < dims; d++) {
                v[d] = random().nextFloat() * 2 - 1;
            }
        }
        return m;
    }
}
