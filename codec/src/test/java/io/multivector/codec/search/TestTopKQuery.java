package io.multivector.codec.search;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.FeatureField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
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

    private static List<Float> scoresOf(TopDocs docs) {
        List<Float> scores = new ArrayList<>();
        for (ScoreDoc d : docs.scoreDocs) {
            scores.add(d.score);
        }
        scores.sort(Comparator.reverseOrder());
        return scores;
    }
}
