package io.multivector.plugin.source;

import io.multivector.codec.MultiVectorCodec;
import io.multivector.codec.dense.DenseVectorFormats;
import io.multivector.codec.multivector.ElementType;
import io.multivector.codec.multivector.MultiVectorField;
import io.multivector.codec.multivector.TokenSimilarity;
import io.multivector.codec.VectorFieldAttributes;
import org.apache.lucene.codecs.StoredFieldsReader;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.tests.util.TestUtil;
import org.apache.lucene.util.BytesRef;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Real Lucene indexes written with the plugin's codec and real OpenSearch sources (JSON, SMILE, CBOR): vectors
 * are not kept in the stored source, and every read gives the source back with its vectors, through flushes,
 * merges with deletes, and index sorting.
 */
public class VectorSourceTests extends OpenSearchTestCase {

    private static final int DIMS = 8;
    private static final XContentType[] TYPES = { XContentType.JSON, XContentType.SMILE, XContentType.CBOR };

    public void testSourcesKeepMasksOnDiskAndReadBackWhole() throws IOException {
        for (boolean sorted : new boolean[] { false, true }) {
            try (Directory dir = newFSDirectory(createTempDir())) {
                IndexWriterConfig config = new IndexWriterConfig()
                    .setCodec(new MultiVectorCodec(new Lucene104Codec(), "tokens"::equals,
                        f -> f.equals("obj.emb") ? DenseVectorFormats.forField("l2", "float", 16, 100) : null))
                    .setUseCompoundFile(random().nextBoolean())
                    .setMaxBufferedDocs(7); // several segments, then merges
                if (sorted) {
                    config.setIndexSort(new Sort(new SortField("n", SortField.Type.INT, true)));
                }
                Map<String, Map<String, Object>> expected = new HashMap<>();
                try (IndexWriter writer = new IndexWriter(dir, config)) {
                    for (int i = 0; i < 40; i++) {
                        Map<String, Object> source = randomSource(i);
                        writer.addDocument(document(i, source, TYPES[i % TYPES.length]));
                        expected.put(Integer.toString(i), map(json(source).toBytesRef()));
                    }
                    for (int i = 0; i < 40; i += 5) {
                        writer.deleteDocuments(new Term("id", Integer.toString(i)));
                        expected.remove(Integer.toString(i));
                    }
                    writer.commit();
                    assertSourcesRestored(dir, expected);
                    writer.forceMerge(1);
                    writer.commit();
                }
                assertSourcesRestored(dir, expected);
                TestUtil.checkIndex(dir);
            }
        }
    }

    /** The JSON byte scan masks exactly what the XContent parser path masks (CBOR goes through the parser). */
    public void testJsonScanMasksLikeTheParser() throws IOException {
        XContentSourceVectors sourceVectors = new XContentSourceVectors();
        java.util.function.Predicate<String> vectorFields = java.util.Set.of("tokens", "obj.emb", "odd \"key\"", "a.b.c")::contains;
        for (int iter = 0; iter < 300; iter++) {
            Map<String, Object> source = randomSource(iter);
            source.put("text", "tricky \" ] } [ { \\ " + randomAlphaOfLength(3));
            source.put("list", List.of(Map.of("tokens", List.of(List.of(1.5f))), "x]", 3));
            if (random().nextBoolean()) {
                source.put("a", Map.of("b", Map.of("c", "QUJD", "d", List.of())));
            }
            if (random().nextBoolean()) {
                source.put("odd \"key\"", List.of(1f, 2f)); // escaped key: the scan gives up, the parser masks it
            }
            BytesRef json = bytes(source, XContentType.JSON, random().nextBoolean());
            BytesRef cbor = bytes(source, XContentType.CBOR, false);
            assertEquals(map(sourceVectors.strip(cbor, vectorFields)), map(sourceVectors.strip(json, vectorFields)));
            Map<String, Object> masked = map(sourceVectors.strip(json, vectorFields));
            assertEquals(false, masked.get("tokens"));
            assertEquals(source.get("text"), masked.get("text"));
            assertEquals(map(bytes(Map.of("l", source.get("list")), XContentType.JSON, false)).get("l"), masked.get("list"));
        }
    }

    private static BytesRef bytes(Map<String, Object> source, XContentType type, boolean pretty) throws IOException {
        try (XContentBuilder builder = MediaTypeRegistry.contentBuilder(type)) {
            if (pretty) {
                builder.prettyPrint();
            }
            return org.opensearch.core.common.bytes.BytesReference.bytes(builder.map(source)).toBytesRef();
        }
    }

    private static void assertSourcesRestored(Directory dir, Map<String, Map<String, Object>> expected) throws IOException {
        int seen = 0;
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                SegmentReader segment = (SegmentReader) leaf.reader();
                // the bytes on disk, read with the wrapped codec's own stored-fields reader: vectors masked
                org.apache.lucene.index.SegmentInfo info = segment.getSegmentInfo().info;
                try (
                    Directory files = info.getUseCompoundFile() ? info.getCodec().compoundFormat().getCompoundReader(dir, info) : null;
                    StoredFieldsReader raw = new Lucene104Codec().storedFieldsFormat()
                        .fieldsReader(files != null ? files : dir, info, segment.getFieldInfos(), IOContext.DEFAULT)
                ) {
                    for (int doc = 0; doc < segment.maxDoc(); doc++) {
                        if (segment.getLiveDocs() != null && segment.getLiveDocs().get(doc) == false) {
                            continue;
                        }
                        Document stored = segment.storedFields().document(doc);
                        String id = stored.get("id");
                        Map<String, Object> restored = map(stored.getBinaryValue("_source"));
                        assertEquals("doc " + id, expected.get(id), restored);
                        Map<String, Object> onDisk = map(raw.document(doc).getBinaryValue("_source"));
                        assertEquals(false, onDisk.get("tokens"));
                        assertEquals(false, ((Map<?, ?>) onDisk.get("obj")).get("emb"));
                        assertEquals(expected.get(id).get("title"), onDisk.get("title"));
                        seen++;
                    }
                }
            }
        }
        assertEquals(expected.size(), seen);
    }

    /** The source as a map, every floating-point number as a float (SMILE and CBOR keep floats, JSON reads doubles). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(BytesRef bytes) {
        return (Map<String, Object>) floats(
            XContentHelper.convertToMap(new BytesArray(bytes), false, MediaTypeRegistry.xContent(bytes.bytes, bytes.offset, bytes.length)).v2());
    }

    private static Object floats(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new HashMap<>();
            map.forEach((k, v) -> copy.put(k, floats(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(VectorSourceTests::floats).toList();
        }
        return value instanceof Double || value instanceof Float ? (Object) ((Number) value).floatValue() : value;
    }

    private Map<String, Object> randomSource(int i) {
        Map<String, Object> source = new HashMap<>();
        source.put("title", "doc " + i + " " + randomAlphaOfLength(10));
        List<List<Float>> matrix = new ArrayList<>();
        for (int r = 0, n = 1 + random().nextInt(5); r < n; r++) {
            matrix.add(randomVector());
        }
        source.put("tokens", matrix);
        source.put("obj", Map.of("emb", randomVector(), "tag", "t" + i));
        source.put("n", i);
        return source;
    }

    private List<Float> randomVector() {
        List<Float> v = new ArrayList<>();
        for (int c = 0; c < DIMS; c++) {
            v.add(random().nextFloat() * 2 - 1);
        }
        return v;
    }

    private static Document document(int i, Map<String, Object> source, XContentType type) throws IOException {
        Document doc = new Document();
        doc.add(new StringField("id", Integer.toString(i), StringField.Store.YES));
        doc.add(new NumericDocValuesField("n", i));
        try (XContentBuilder builder = MediaTypeRegistry.contentBuilder(type)) {
            builder.map(source);
            doc.add(new StoredField("_source", org.opensearch.core.common.bytes.BytesReference.bytes(builder).toBytesRef()));
        }
        @SuppressWarnings("unchecked")
        List<List<Float>> tokens = (List<List<Float>>) source.get("tokens");
        float[][] matrix = new float[tokens.size()][];
        for (int r = 0; r < matrix.length; r++) {
            matrix[r] = floats(tokens.get(r));
        }
        doc.add(new MultiVectorField("tokens", matrix, DIMS, ElementType.FLOAT, TokenSimilarity.DOT_PRODUCT));
        @SuppressWarnings("unchecked")
        List<Float> emb = (List<Float>) ((Map<String, Object>) source.get("obj")).get("emb");
        FieldType dense = new FieldType(KnnFloatVectorField.createFieldType(DIMS, VectorSimilarityFunction.EUCLIDEAN));
        VectorFieldAttributes.markDense(dense);
        dense.freeze();
        doc.add(new KnnFloatVectorField("obj.emb", floats(emb), dense));
        return doc;
    }

    private static float[] floats(List<Float> values) {
        float[] v = new float[values.size()];
        for (int c = 0; c < v.length; c++) {
            v[c] = values.get(c);
        }
        return v;
    }

    private static BytesArray json(Map<String, Object> source) throws IOException {
        try (XContentBuilder builder = MediaTypeRegistry.contentBuilder(XContentType.JSON)) {
            return new BytesArray(org.opensearch.core.common.bytes.BytesReference.bytes(builder.map(source)).toBytesRef());
        }
    }
}
