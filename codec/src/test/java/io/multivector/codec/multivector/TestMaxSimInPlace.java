package io.multivector.codec.multivector;

import io.multivector.codec.MultiVectorCodec;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.store.NIOFSDirectory;
import org.apache.lucene.tests.util.LuceneTestCase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Scoring a document where it lies in the index (the native kernels reading a memory-mapped file by address, float
 * rows copied from the file as the kernel goes) gives bit for bit the score of the same document's copied bytes, for
 * every precision and similarity, on a memory-mapped index and on one read through file channels.
 */
public class TestMaxSimInPlace extends LuceneTestCase {

    public void testMemoryMapped() throws IOException {
        try (Directory dir = new MMapDirectory(createTempDir())) {
            check(dir, true);
        }
    }

    public void testNotMemoryMapped() throws IOException {
        try (Directory dir = new NIOFSDirectory(createTempDir())) {
            check(dir, false);
        }
    }

    private void check(Directory dir, boolean mapped) throws IOException {
        int dims = 1 + random().nextInt(150);
        List<String> fields = new ArrayList<>();
        IndexWriterConfig config = new IndexWriterConfig().setCodec(new MultiVectorCodec(new Lucene104Codec(), f -> f.startsWith("t_"), f -> null));
        try (IndexWriter writer = new IndexWriter(dir, config)) {
            int numDocs = 50 + random().nextInt(100);
            for (int i = 0; i < numDocs; i++) {
                Document doc = new Document();
                int field = 0;
                for (ElementType type : ElementType.values()) {
                    for (TokenSimilarity similarity : TokenSimilarity.values()) {
                        String name = "t_" + type + "_" + similarity;
                        if (i == 0) {
                            fields.add(name);
                        }
                        // every other field misses some documents: matrices found through the doc-id set, not by doc id
                        if (field++ % 2 == 0 || i % 7 != 3) {
                            doc.add(new MultiVectorField(name, TestMaxSimQuery.randomMatrix(1 + random().nextInt(40), dims), dims, type, similarity));
                        }
                    }
                }
                writer.addDocument(doc);
            }
            writer.forceMerge(1);
        }
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
            // up to 70 query rows: the kernels' one-, two- and four-block paths at 8 and 16 lanes
            float[][] query = TestMaxSimQuery.randomMatrix(1 + random().nextInt(70), dims);
            for (LeafReaderContext leaf : reader.leaves()) {
                for (String field : fields) {
                    String[] parts = field.split("_", 3);
                    MaxSim.PreparedQuery prepared = MaxSim.prepare(query, dims, ElementType.valueOf(parts[1]),
                        TokenSimilarity.valueOf(parts[2]));
                    checkField(leaf.reader(), field, prepared, mapped);
                }
            }
        }
    }

    private static void checkField(LeafReader reader, String field, MaxSim.PreparedQuery prepared, boolean mapped) throws IOException {
        BinaryDocValues inPlace = reader.getBinaryDocValues(field), copied = reader.getBinaryDocValues(field);
        assertTrue(field + " is read by this format", inPlace instanceof MatrixDocValues);
        MaxSim.DocScorer inPlaceScorer = prepared.newDocScorer(), copiedScorer = prepared.newDocScorer();
        int scored = 0;
        // some documents skipped, as a filter or a rescore window skips them
        for (int doc = inPlace.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS;
             doc = random().nextInt(4) == 0 ? inPlace.advance(doc + 2) : inPlace.nextDoc(), scored++) {
            assertEquals(doc, copied.advance(doc));
            assertEquals(field + " mapped", mapped, ((MatrixDocValues) inPlace).matrixAddress() != 0);
            float expected = copiedScorer.maxSim(copied.binaryValue());
            assertEquals(field + " doc " + doc, Float.floatToRawIntBits(expected), Float.floatToRawIntBits(inPlaceScorer.maxSim(inPlace)));
        }
        assertTrue(field, scored > 0);
    }
}
