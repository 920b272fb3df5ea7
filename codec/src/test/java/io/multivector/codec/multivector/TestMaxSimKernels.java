package io.multivector.codec.multivector;

import org.apache.lucene.tests.util.LuceneTestCase;

/** The vectorized kernels agree with the plain loops, for shapes that exercise blocks and tails. */
public class TestMaxSimKernels extends LuceneTestCase {

    public void testFloatKernelEqualsScalar() {
        for (int iter = 0; iter < 300; iter++) {
            int dims = 1 + random().nextInt(200), nq = 1 + random().nextInt(11), nd = 1 + random().nextInt(30);
            float[] q = random(nq * dims), d = random(nd * dims);
            for (boolean l2 : new boolean[] { false, true }) {
                float expected = ScalarMaxSim.floats(q, nq, d, nd, dims, l2);
                float transposed = FloatMaxSim.maxSimTransposed(FloatMaxSim.transpose(q, nq, dims), nq, d, nd, dims, l2);
                assertEquals("transposed dims " + dims + " nq " + nq + " nd " + nd + " l2 " + l2, expected, transposed,
                    1e-4f * Math.max(1, Math.abs(expected)) * dims);
            }
        }
    }

    public void testBitKernelEqualsScalar() {
        for (int iter = 0; iter < 300; iter++) {
            int dims = 1 + random().nextInt(300), nq = 1 + random().nextInt(40), nd = 1 + random().nextInt(30);
            int words = (dims + 63) / 64;
            long[] q = randomBits(nq, dims), d = randomBits(nd, dims);
            assertEquals("dims " + dims + " nq " + nq + " nd " + nd, ScalarMaxSim.bits(q, nq, d, nd, words, dims),
                BitMaxSim.maxSim(BitMaxSim.transpose(q, nq, words), nq, d, nd, words, dims), 0f);
        }
    }

    /** Rows of whole longs whose bits past {@code dims} are zero, as {@link BitPacking#unpack} leaves them. */
    private static long[] randomBits(int rows, int dims) {
        int words = (dims + 63) / 64;
        long[] bits = new long[rows * words];
        for (int r = 0; r < rows; r++) {
            for (int w = 0; w < words; w++) {
                int valid = Math.min(64, dims - w * 64);
                bits[r * words + w] = random().nextLong() & (valid == 64 ? -1L : (1L << valid) - 1);
            }
        }
        return bits;
    }

    public void testBitKernelIsDimsMinusTwiceHamming() {
        for (int iter = 0; iter < 200; iter++) {
            int dims = 1 + random().nextInt(300), nq = 1 + random().nextInt(40), nd = 1 + random().nextInt(10);
            float[][] query = new float[nq][], doc = new float[nd][];
            for (int i = 0; i < nq; i++) {
                query[i] = signs(dims);
            }
            for (int j = 0; j < nd; j++) {
                doc[j] = signs(dims);
            }
            float expected = 0;
            for (float[] qi : query) {
                float best = Float.NEGATIVE_INFINITY;
                for (float[] dj : doc) {
                    float dot = 0;
                    for (int c = 0; c < dims; c++) {
                        dot += qi[c] * dj[c];
                    }
                    best = Math.max(best, dot);
                }
                expected += best;
            }
            MaxSim.PreparedQuery prepared = MaxSim.prepare(query, dims, ElementType.BIT, TokenSimilarity.DOT_PRODUCT);
            byte[] stored = ElementType.BIT.encode(doc, dims);
            assertEquals(expected, prepared.newDocScorer().maxSim(new org.apache.lucene.util.BytesRef(stored)), 0f);
        }
    }

    /** What scores documents without the Vector API module gives what the vectorized kernels give. */
    public void testScalarFallbackScoresLikeTheKernels() {
        assertTrue("tests run with jdk.incubator.vector", MaxSim.VECTOR_API);
        for (int iter = 0; iter < 200; iter++) {
            int dims = 1 + random().nextInt(150), nq = 1 + random().nextInt(40), nd = 1 + random().nextInt(20);
            float[][] query = new float[nq][], doc = new float[nd][];
            for (int i = 0; i < nq; i++) {
                query[i] = random(dims);
            }
            for (int j = 0; j < nd; j++) {
                doc[j] = random(dims);
            }
            for (ElementType type : ElementType.values()) {
                for (TokenSimilarity similarity : TokenSimilarity.values()) {
                    org.apache.lucene.util.BytesRef stored = new org.apache.lucene.util.BytesRef(type.encode(doc, dims));
                    float vectorized = MaxSim.prepare(query, dims, type, similarity, true).newDocScorer().maxSim(stored);
                    float scalar = MaxSim.prepare(query, dims, type, similarity, false).newDocScorer().maxSim(stored);
                    assertEquals(type + " " + similarity + " dims " + dims, scalar, vectorized, 1e-3f * Math.max(1, Math.abs(scalar)) * Math.max(1, dims / 64f));
                }
            }
        }
    }

    public void testNativeInt8KernelLoadsWhereTheCpuHasVnni() throws Exception {
        String cpu = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/cpuinfo"));
        assertEquals(cpu.contains(" avx512_vnni") && cpu.contains(" avx512bw"), NativeMaxSim.AVAILABLE);
    }

    /** Native int8 against the int8 matrix decoded to float and scored in double precision. */
    public void testNativeInt8KernelEqualsDecodedReference() {
        assumeTrue("no native int8 kernel on this machine", NativeMaxSim.AVAILABLE);
        for (int iter = 0; iter < 300; iter++) {
            int dims = 1 + random().nextInt(300), nq = 1 + random().nextInt(50), nd = 1 + random().nextInt(40);
            float[][] query = new float[nq][], doc = new float[nd][];
            for (int i = 0; i < nq; i++) {
                query[i] = random(dims);
            }
            for (int j = 0; j < nd; j++) {
                doc[j] = random(dims);
            }
            byte[] stored = ElementType.INT8.encode(doc, dims);
            float[][] decoded = ElementType.INT8.decode(new org.apache.lucene.util.BytesRef(stored), dims);
            double expected = 0;
            for (float[] qi : query) {
                double best = Double.NEGATIVE_INFINITY;
                for (float[] dj : decoded) {
                    double dot = 0;
                    for (int c = 0; c < dims; c++) {
                        dot += (double) qi[c] * dj[c];
                    }
                    best = Math.max(best, dot);
                }
                expected += best;
            }
            float[] flat = new float[nq * dims];
            for (int i = 0; i < nq; i++) {
                System.arraycopy(query[i], 0, flat, i * dims, dims);
            }
            // the query is quantized to int16 (at most half a step per value), document values are exact
            float actual = NativeMaxSim.prepare(flat, nq, dims).maxSim(stored, 0, nd);
            assertEquals("dims " + dims + " nq " + nq + " nd " + nd, expected, actual, 1e-3 * nq * Math.max(1, dims / 128.0));
            // and the same through the scorer the query uses
            MaxSim.PreparedQuery prepared = MaxSim.prepare(query, dims, ElementType.INT8, TokenSimilarity.DOT_PRODUCT);
            assertNotNull(prepared.int8);
            assertEquals(actual, prepared.newDocScorer().maxSim(new org.apache.lucene.util.BytesRef(stored)), 0f);
        }
    }

    private static float[] random(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = random().nextFloat() * 2 - 1;
        }
        return v;
    }

    private static float[] signs(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = random().nextBoolean() ? 1 : -1;
        }
        return v;
    }
}
