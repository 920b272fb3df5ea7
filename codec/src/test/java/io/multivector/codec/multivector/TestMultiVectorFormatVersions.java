package io.multivector.codec.multivector;

import io.multivector.codec.MultiVectorCodec;
import org.apache.lucene.codecs.DocValuesFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Segments written by version 10 of the format stay readable next to version 11 ones, and merge into version 11
 * with every matrix intact; version 11 rejects a matrix that is not a whole number of vectors.
 */
public class TestMultiVectorFormatVersions extends LuceneTestCase {

    public void testVersion10SegmentsReadAndMergeIntoVersion11() throws Exception {
        int dims = 1 + random().nextInt(20);
        ElementType type = ElementType.values()[random().nextInt(ElementType.values().length)];
        Map<String, byte[]> expected = new HashMap<>();
        try (Directory dir = newDirectory()) {
            // a segment as the previous version wrote it: Lucene's codec, the field routed to MultiVector10
            IndexWriterConfig old = new IndexWriterConfig().setCodec(new Lucene104Codec() {
                @Override
                public DocValuesFormat getDocValuesFormatForField(String field) {
                    return field.equals("t") ? new MultiVector10DocValuesFormat() : super.getDocValuesFormatForField(field);
                }
            });
            try (IndexWriter writer = new IndexWriter(dir, old)) {
                addDocs(writer, 0, 60, dims, type, expected);
            }
            assertMatrices(dir, expected, "MultiVector10");
            IndexWriterConfig current = new IndexWriterConfig().setCodec(new MultiVectorCodec(new Lucene104Codec(), "t"::equals, f -> null));
            try (IndexWriter writer = new IndexWriter(dir, current)) {
                addDocs(writer, 60, 120, dims, type, expected);
                writer.commit();
                assertMatrices(dir, expected, null);
                writer.forceMerge(1);
            }
            assertMatrices(dir, expected, "MultiVector11");
            TestUtil.checkIndex(dir);
        }
    }

    public void testMatrixOfPartialVectorIsRejected() throws Exception {
        try (Directory dir = newDirectory()) {
            IndexWriterConfig config = new IndexWriterConfig().setCodec(new MultiVectorCodec(new Lucene104Codec(), "t"::equals, f -> null));
            try (IndexWriter writer = new IndexWriter(dir, config)) {
                Document doc = new Document();
                // marked as 4-dim float vectors (16 bytes each) but holding 20 bytes
                doc.add(new Field("t", new org.apache.lucene.util.BytesRef(new byte[20]), MultiVectorField.fieldType(4, ElementType.FLOAT)));
                writer.addDocument(doc);
                IllegalArgumentException e = expectThrows(IllegalArgumentException.class, writer::commit);
                assertTrue(e.getMessage(), e.getMessage().contains("not a whole number of [16]-byte vectors"));
            }
        }
    }

    private void addDocs(IndexWriter writer, int from, int to, int dims, ElementType type, Map<String, byte[]> expected) throws Exception {
        for (int i = from; i < to; i++) {
            Document doc = new Document();
            doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
            if (i % 7 != 0) {
                float[][] matrix = new float[1 + random().nextInt(6)][dims];
                for (float[] row : matrix) {
                    for (int c = 0; c < dims; c++) {
                        row[c] = random().nextFloat() * 2 - 1;
                    }
                }
                MultiVectorField field = new MultiVectorField("t", matrix, dims, type, TokenSimilarity.DOT_PRODUCT);
                expected.put(Integer.toString(i), field.binaryValue().bytes.clone());
                doc.add(field);
            }
            writer.addDocument(doc);
        }
    }

    /** Every document's matrix reads back byte for byte; {@code format}, when given, is every segment's format. */
    private static void assertMatrices(Directory dir, Map<String, byte[]> expected, String format) throws Exception {
        int seen = 0;
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
            for (LeafReaderContext context : reader.leaves()) {
                LeafReader leaf = context.reader();
                if (format != null) {
                    assertEquals(format, leaf.getFieldInfos().fieldInfo("t").getAttribute("PerFieldDocValuesFormat.format"));
                }
                BinaryDocValues values = leaf.getBinaryDocValues("t");
                for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
                    String id = leaf.storedFields().document(doc).get("id");
                    byte[] actual = Arrays.copyOfRange(values.binaryValue().bytes, values.binaryValue().offset,
                        values.binaryValue().offset + values.binaryValue().length);
                    assertArrayEquals("doc " + id, expected.get(id), actual);
                    seen++;
                }
            }
        }
        assertEquals(expected.size(), seen);
    }
}
