package io.multivector.codec.dense;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

public class TestL1Search extends LuceneTestCase {

    public void testHandCheckedScores() {
        assertEquals(1f, L1VectorScorer.score(new float[] { 1, 2 }, new float[] { 1, 2 }), 0f);
        assertEquals(0.25f, L1VectorScorer.score(new float[] { 0, 0 }, new float[] { 1, -2 }), 0f);
        assertEquals(1f / 7f, L1VectorScorer.score(new float[] { 1, 1, 1 }, new float[] { -1, 3, 3 }), 1e-7f);
    }

    public void testVectorKernelEqualsScalar() {
        for (int iter = 0; iter < 200; iter++) {
            int dims = 1 + random().nextInt(300);
            float[] a = randomVector(dims), b = randomVector(dims);
            assertEquals(L1Distance.distanceScalar(a, b), L1Distance.distance(a, b), 1e-3f * dims);
        }
    }

    public void testGraphSearchFindsL1NeighboursWithL1Scores() throws Exception {
        int numDocs = 2000, dims = 16;
        float[][] vectors = new float[numDocs][];
        try (Directory dir = newDirectory()) {
            IndexWriterConfig config = newIndexWriterConfig().setCodec(TestUtil.alwaysKnnVectorsFormat(new L1HnswVectorsFormat(16, 100)));
            try (IndexWriter writer = new IndexWriter(dir, config)) {
                for (int i = 0; i < numDocs; i++) {
                    vectors[i] = randomVector(dims);
                    Document doc = new Document();
                    doc.add(new KnnFloatVectorField("v", vectors[i], VectorSimilarityFunction.EUCLIDEAN));
                    doc.add(new StringField("parity", i % 2 == 0 ? "even" : "odd", Field.Store.NO));
                    doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
                    writer.addDocument(doc);
                    if (i % 500 == 499) {
                        writer.commit();
                    }
                }
                writer.forceMerge(1);
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                TestUtil.checkIndex(dir);
                IndexSearcher searcher = new IndexSearcher(reader);
                double recall = 0;
                int queries = 20;
                for (int q = 0; q < queries; q++) {
                    float[] query = randomVector(dims);
                    TopDocs top = searcher.search(new KnnFloatVectorQuery("v", query, 100), 10);
                    Set<Integer> expected = bruteForce(vectors, query, 10, false);
                    for (ScoreDoc hit : top.scoreDocs) {
                        int id = Integer.parseInt(searcher.storedFields().document(hit.doc).get("id"));
                        assertEquals(L1VectorScorer.score(query, vectors[id]), hit.score, 1e-5f);
                        if (expected.contains(id)) {
                            recall += 0.1 / queries;
                        }
                    }
                }
                assertTrue("recall@10 " + recall, recall >= 0.9);

                // filtered: the same breadth as above (100 candidates), several queries; one query at k = 10 was noisy
                double filteredRecall = 0;
                for (int q = 0; q < queries; q++) {
                    float[] query = randomVector(dims);
                    TopDocs filtered = searcher.search(new KnnFloatVectorQuery("v", query, 100, new TermQuery(new Term("parity", "even"))), 10);
                    Set<Integer> expectedEven = bruteForce(vectors, query, 10, true);
                    for (ScoreDoc hit : filtered.scoreDocs) {
                        int id = Integer.parseInt(searcher.storedFields().document(hit.doc).get("id"));
                        assertEquals(0, id % 2);
                        filteredRecall += expectedEven.contains(id) ? 0.1 / queries : 0;
                    }
                }
                assertTrue("filtered recall@10 " + filteredRecall, filteredRecall >= 0.9);
            }
        }
    }

    private static Set<Integer> bruteForce(float[][] vectors, float[] query, int k, boolean evenOnly) {
        Integer[] ids = IntStream.range(0, vectors.length).filter(i -> evenOnly == false || i % 2 == 0).boxed().toArray(Integer[]::new);
        Arrays.sort(ids, (a, b) -> Float.compare(L1Distance.distanceScalar(query, vectors[a]), L1Distance.distanceScalar(query, vectors[b])));
        return new HashSet<>(Arrays.asList(ids).subList(0, k));
    }

    private static float[] randomVector(int dims) {
        float[] v = new float[dims];
        for (int i = 0; i < dims; i++) {
            v[i] = random().nextFloat() * 2 - 1;
        }
        return v;
    }
}
