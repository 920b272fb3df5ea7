package io.multivector.codec.bwc;

import io.multivector.codec.MultiVectorCodec;
import io.multivector.codec.candidates.CandidateField;
import io.multivector.codec.candidates.CandidateMaxSimQuery;
import io.multivector.codec.candidates.FixedDimensionalEncoding;
import io.multivector.codec.dense.DenseVectorFormats;
import io.multivector.codec.multivector.ElementType;
import io.multivector.codec.multivector.MaxSim;
import io.multivector.codec.multivector.MaxSimQuery;
import io.multivector.codec.multivector.MultiVector10DocValuesFormat;
import io.multivector.codec.multivector.MultiVectorField;
import io.multivector.codec.multivector.TokenSimilarity;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.DocValuesFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;
import org.apache.lucene.util.BytesRef;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Indices written once by every on-disk version this project has written, committed as zips next to this class,
 * opened by the current code: the habit of Lucene's backward-codecs. A fixture is never regenerated once
 * committed (a format that the current code can no longer write stays readable only through its zip); new
 * versions add new zips. To write the zips of the versions the current code still writes:
 *
 * <pre>mvn -B -pl codec test -Dtest=TestBackwardsFixtures -Dmultivector.bwc.write=codec/src/test/resources/io/multivector/codec/bwc</pre>
 *
 * The data is a pure function of the fixture's seed, so the test recomputes every vector and score.
 */
public class TestBackwardsFixtures extends LuceneTestCase {

    static final int DOCS = 40, DIMS = 16, DENSE_DIMS = 8;

    /** The versions: a name (the zip's prefix) and the codec that wrote it. */
    enum Version {
        /** MultiVector10 doc values under Lucene's own codec, as the first release wrote multi-vector fields. */
        MULTIVECTOR10(1000, "Lucene104", "MultiVector10") {
            @Override
            Codec codec() {
                return new Lucene104Codec() {
                    @Override
                    public DocValuesFormat getDocValuesFormatForField(String field) {
                        return field.equals("t") ? new MultiVector10DocValuesFormat() : super.getDocValuesFormatForField(field);
                    }
                };
            }
        },
        /**
         * MultiVectorCodec10: MultiVector10 doc values, the L1 HNSW dense format, {@code _source} stored whole.
         * Written by commit ea42218^ (the last one whose codec wrote this version); the current code reads it only.
         */
        CODEC10(1000, "MultiVectorCodec10", "MultiVector10") {
            @Override
            Codec codec() {
                throw new UnsupportedOperationException("MultiVectorCodec10 is read-only now: its fixtures stay as committed");
            }

            @Override
            boolean hasDense() {
                return true;
            }
        },
        /** MultiVectorCodec11: MultiVector11 doc values and the L1 HNSW dense format. */
        CODEC11(2000, "MultiVectorCodec11", "MultiVector11") {
            @Override
            Codec codec() {
                return codec11();
            }

            @Override
            boolean hasDense() {
                return true;
            }
        },
        /**
         * MultiVectorCodec11 with a first-stage index: each document's fixed-dimensional encoding in an int8 HNSW graph
         * (a hidden kNN field). The encoding is a pure function of the vectors and the seed, so a later version must
         * compute exactly the encodings stored here, or queries would search old segments with incompatible vectors.
         */
        CODEC11_FDE(3000, "MultiVectorCodec11", "MultiVector11") {
            @Override
            Codec codec() {
                return codec11();
            }

            @Override
            boolean hasCandidates() {
                return true;
            }
        };

        /** The encoding of the first-stage fixtures: small, but every part of it (buckets, projection, repetitions) used. */
        static final FixedDimensionalEncoding FDE = new FixedDimensionalEncoding(DIMS, 2, 8, 3, 42);

        /** The seeds of a fixture's data; fixed per version, since a committed fixture's data never changes. */
        final long seedBase;
        /** What each segment of the fixture records: its codec, and the doc values format of the multi-vector field. */
        final String codecName, docValuesFormat;

        Version(long seedBase, String codecName, String docValuesFormat) {
            this.seedBase = seedBase;
            this.codecName = codecName;
            this.docValuesFormat = docValuesFormat;
        }

        abstract Codec codec();

        static Codec codec11() {
            return new MultiVectorCodec(new Lucene104Codec(), "t"::equals, f -> f.equals("d") ? DenseVectorFormats.forField("l1", "float", 16, 100)
                : CandidateField.isCandidateField(f) ? DenseVectorFormats.forField("dot_product", "int8", 16, 100) : null);
        }

        boolean hasDense() {
            return false;
        }

        boolean hasCandidates() {
            return false;
        }

        String zipName(ElementType type) {
            return name().toLowerCase(java.util.Locale.ROOT) + "-" + type.name().toLowerCase(java.util.Locale.ROOT) + ".zip";
        }
    }

    public void testEveryFixtureOpensWithTheCurrentCode() throws Exception {
        String target = System.getProperty("multivector.bwc.write");
        if (target != null && target.isEmpty() == false) {
            writeAll(Paths.get(target).toAbsolutePath());
        }
        int opened = 0;
        for (Version version : Version.values()) {
            for (ElementType type : ElementType.values()) {
                try (InputStream zip = getClass().getResourceAsStream(version.zipName(type))) {
                    assertNotNull("missing fixture " + version.zipName(type), zip);
                    Path dir = createTempDir(version.zipName(type));
                    unzip(zip, dir);
                    try (Directory directory = FSDirectory.open(dir)) {
                        TestUtil.checkIndex(directory);
                        check(version, type, directory);
                    }
                    opened++;
                }
            }
        }
        assertEquals(Version.values().length * ElementType.values().length, opened);
    }

    private static void check(Version version, ElementType type, Directory directory) throws Exception {
        String what = version.zipName(type);
        Data data = new Data(seed(version, type));
        try (DirectoryReader reader = DirectoryReader.open(directory)) {
            assertEquals(what, DOCS, reader.numDocs());
            assertEquals(what + ": two segments, as written", 2, reader.leaves().size());
            IndexSearcher searcher = new IndexSearcher(reader);
            for (LeafReaderContext leaf : reader.leaves()) {
                assertEquals(what, version.codecName,
                    ((org.apache.lucene.index.SegmentReader) leaf.reader()).getSegmentInfo().info.getCodec().getName());
                assertEquals(what, version.docValuesFormat, leaf.reader().getFieldInfos().fieldInfo("t").getAttribute("PerFieldDocValuesFormat.format"));
                if (version.hasDense()) {
                    assertEquals(what, "MultiVectorL1Hnsw10", leaf.reader().getFieldInfos().fieldInfo("d").getAttribute("PerFieldKnnVectorsFormat.format"));
                }
                var values = leaf.reader().getBinaryDocValues("t");
                for (int doc = values.nextDoc(); doc != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
                    int id = Integer.parseInt(leaf.reader().storedFields().document(doc).get("id"));
                    byte[] expected = new MultiVectorField("t", data.docs[id], DIMS, type, TokenSimilarity.DOT_PRODUCT).binaryValue().bytes;
                    BytesRef actual = values.binaryValue();
                    assertEquals(what + " doc " + id, new BytesRef(expected), actual);
                }
            }
            TopDocs all = searcher.search(new MaxSimQuery("t", DIMS, type, TokenSimilarity.DOT_PRODUCT, data.query, null), DOCS);
            assertEquals(what, DOCS, all.totalHits.value());
            for (ScoreDoc hit : all.scoreDocs) {
                int id = Integer.parseInt(searcher.storedFields().document(hit.doc).get("id"));
                double want = TokenSimilarity.toScore((float) bruteForce(data.query, data.docs[id], type));
                assertEquals(what + " doc " + id, want, hit.score, 1e-3 * Math.max(1, Math.abs(want)));
            }
            if (version == Version.CODEC10) {
                // a source of version 10 holds its vectors whole and reads back as it was stored
                for (int doc = 0; doc < reader.maxDoc(); doc++) {
                    var stored = searcher.storedFields().document(doc);
                    int id = Integer.parseInt(stored.get("id"));
                    assertEquals(what + " _source of " + id, new BytesRef(source(id, data)), stored.getBinaryValue("_source"));
                }
            }
            if (version.hasCandidates()) {
                checkCandidates(what, type, data, searcher);
            }
            if (version.hasDense()) {
                // each dense vector is its own nearest neighbour (L1 distance 0)
                for (int id : new int[] {0, 7, DOCS - 1}) {
                    TopDocs near = searcher.search(new KnnFloatVectorQuery("d", data.dense[id], 3), 3);
                    assertEquals(what, 3, near.scoreDocs.length);
                    assertEquals(what + " dense nearest of " + id, Integer.toString(id),
                        searcher.storedFields().document(near.scoreDocs[0].doc).get("id"));
                    assertEquals(what, 1f, near.scoreDocs[0].score, 1e-6);
                }
            }
        }
    }

    /**
     * The stored encodings equal what the current code computes from the stored vectors, and a candidate search that
     * takes every document ranks as the exact scan does.
     */
    private static void checkCandidates(String what, ElementType type, Data data, IndexSearcher searcher) throws Exception {
        String field = CandidateField.name("t", Version.FDE);
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
            assertNotNull(what + ": no candidate field " + field, values);
            assertEquals(what, leaf.reader().maxDoc(), values.size());
            KnnVectorValues.DocIndexIterator it = values.iterator();
            for (int doc = it.nextDoc(); doc != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                int id = Integer.parseInt(leaf.reader().storedFields().document(doc).get("id"));
                float[] expected = Version.FDE.encodeDocument(stored(data.docs[id], type));
                assertArrayEquals(what + " encoding of doc " + id, expected, values.vectorValue(it.index()), 0f);
            }
        }
        TopDocs exact = searcher.search(new MaxSimQuery("t", DIMS, type, TokenSimilarity.DOT_PRODUCT, data.query, null), 5);
        TopDocs approx = searcher.search(new CandidateMaxSimQuery("t", DIMS, type, TokenSimilarity.DOT_PRODUCT, data.query, Version.FDE, 5,
            DOCS, null), 5);
        assertEquals(what, exact.scoreDocs.length, approx.scoreDocs.length);
        for (int i = 0; i < exact.scoreDocs.length; i++) {
            assertEquals(what + " hit " + i, exact.scoreDocs[i].doc, approx.scoreDocs[i].doc);
            assertEquals(what + " hit " + i, exact.scoreDocs[i].score, approx.scoreDocs[i].score, 0f);
        }
    }

    /** The vectors a field of this precision stores, decoded. */
    private static float[][] stored(float[][] doc, ElementType type) {
        return type.decode(new BytesRef(type.encode(doc, DIMS)), DIMS);
    }

    /** MaxSim in double precision over the vectors the field stores (decoded, rounded as the precision rounds). */
    private static double bruteForce(float[][] query, float[][] doc, ElementType type) {
        float[][] stored = stored(doc, type);
        float[][] q = MaxSim.prepareVectors(query, DIMS, type, TokenSimilarity.DOT_PRODUCT);
        double sum = 0;
        for (float[] qi : q) {
            double best = Double.NEGATIVE_INFINITY;
            for (float[] dj : stored) {
                double sim = 0;
                for (int d = 0; d < DIMS; d++) {
                    sim += (double) qi[d] * dj[d];
                }
                best = Math.max(best, sim);
            }
            sum += best;
        }
        return sum;
    }

    private static long seed(Version version, ElementType type) {
        return version.seedBase + type.ordinal();
    }

    /** The seeded documents and query of one fixture. */
    static final class Data {
        final float[][][] docs = new float[DOCS][][];
        final float[][] dense = new float[DOCS][];
        final float[][] query;

        Data(long seed) {
            Random random = new Random(seed);
            for (int i = 0; i < DOCS; i++) {
                docs[i] = matrix(random, 1 + random.nextInt(5), DIMS);
                dense[i] = matrix(random, 1, DENSE_DIMS)[0];
            }
            query = matrix(random, 3, DIMS);
        }

        private static float[][] matrix(Random random, int rows, int dims) {
            float[][] m = new float[rows][dims];
            for (float[] v : m) {
                for (int d = 0; d < dims; d++) {
                    v[d] = random.nextFloat() * 2 - 1;
                }
            }
            return m;
        }
    }

    private static void writeAll(Path target) throws Exception {
        Files.createDirectories(target);
        for (Version version : Version.values()) {
            for (ElementType type : ElementType.values()) {
                Path zip = target.resolve(version.zipName(type));
                if (Files.exists(zip)) {
                    continue; // a committed fixture is never rewritten
                }
                Path dir = Files.createTempDirectory("bwc");
                Data data = new Data(seed(version, type));
                // no merges and one commit half-way: two segments, so readers see more than one
                IndexWriterConfig config = new IndexWriterConfig().setCodec(version.codec()).setMergePolicy(NoMergePolicy.INSTANCE)
                    .setUseCompoundFile(false);
                try (Directory directory = FSDirectory.open(dir); IndexWriter writer = new IndexWriter(directory, config)) {
                    for (int i = 0; i < DOCS; i++) {
                        Document doc = new Document();
                        doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
                        doc.add(new MultiVectorField("t", data.docs[i], DIMS, type, TokenSimilarity.DOT_PRODUCT));
                        if (version.hasDense()) {
                            doc.add(new KnnFloatVectorField("d", data.dense[i], VectorSimilarityFunction.EUCLIDEAN));
                        }
                        if (version.hasCandidates()) {
                            doc.add(CandidateField.create("t", Version.FDE, stored(data.docs[i], type)));
                        }
                        writer.addDocument(doc);
                        if (i == DOCS / 2) {
                            writer.commit();
                        }
                    }
                }
                try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream zipOut = new ZipOutputStream(out);
                     var files = Files.list(dir)) {
                    for (Path file : files.sorted().toList()) {
                        zipOut.putNextEntry(new ZipEntry(file.getFileName().toString()));
                        Files.copy(file, zipOut);
                        zipOut.closeEntry();
                    }
                }
            }
        }
    }

    /** The {@code _source} the version 10 generator stored: the dense vector whole, as JSON. */
    static byte[] source(int i, Data data) {
        return ("{\"id\":" + i + ",\"d\":" + java.util.Arrays.toString(data.dense[i]) + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void unzip(InputStream in, Path dir) throws Exception {
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Files.copy(zip, dir.resolve(entry.getName()));
            }
        }
    }
}
