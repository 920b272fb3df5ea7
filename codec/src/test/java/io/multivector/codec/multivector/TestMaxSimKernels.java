package io.multivector.codec.multivector;

import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Every kernel this CPU runs agrees with the plain loops or a double-precision reference, for shapes that exercise
 * blocks and tails: the Java Vector API kernels at the JVM's vector width (run the module's tests once more with
 * {@code -Dtest.extraArgs=-XX:UseAVX=2} for the 256-bit ones on an AVX-512 machine) and each native kernel the CPU
 * has, called directly whatever the one chosen for queries is.
 */
public class TestMaxSimKernels extends LuceneTestCase {

    /** Also: rows read from a file as the kernel goes score exactly as rows already in memory. */
    public void testFloatKernelEqualsScalar() throws IOException {
        FloatMaxSim.Rows inMemory = new FloatMaxSim.Rows(), fromFile = new FloatMaxSim.Rows();
        try (Directory dir = new ByteBuffersDirectory()) {
            for (int iter = 0; iter < 300; iter++) {
                int dims = 1 + random().nextInt(200), nq = 1 + random().nextInt(80), nd = 1 + random().nextInt(30);
                float[] q = random(nq * dims), d = random(nd * dims);
                System.arraycopy(d, 0, inMemory.resize(nd, dims), 0, d.length);
                String file = "doc" + iter;
                try (IndexOutput out = dir.createOutput(file, IOContext.DEFAULT)) {
                    out.writeInt(42); // the matrix need not start the file
                    for (float x : d) {
                        out.writeInt(Float.floatToRawIntBits(x));
                    }
                }
                for (boolean l2 : new boolean[] { false, true }) {
                    String shape = "dims " + dims + " nq " + nq + " nd " + nd + " l2 " + l2;
                    float expected = ScalarMaxSim.floats(q, nq, d, nd, dims, l2);
                    float[] qT = FloatMaxSim.transpose(q, nq, dims);
                    float transposed = FloatMaxSim.maxSimTransposed(qT, nq, inMemory, dims, l2);
                    assertEquals("transposed " + shape, expected, transposed, 1e-4f * Math.max(1, Math.abs(expected)) * dims);
                    try (IndexInput in = dir.openInput(file, IOContext.DEFAULT)) {
                        in.seek(Integer.BYTES);
                        fromFile.readLazily(in, nd, dims);
                        assertEquals("read as it goes " + shape, transposed, FloatMaxSim.maxSimTransposed(qT, nq, fromFile, dims, l2), 0f);
                    }
                }
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
                    float scalar = MaxSim.prepare(query, dims, type, similarity, false).newDocScorer().maxSim(stored);
                    float tolerance = 1e-3f * Math.max(1, Math.abs(scalar)) * Math.max(1, dims / 64f);
                    float chosen = MaxSim.prepare(query, dims, type, similarity, true).newDocScorer().maxSim(stored);
                    assertEquals(type + " " + similarity + " dims " + dims, scalar, chosen, tolerance);
                    float java = MaxSim.prepare(query, dims, type, similarity, true, null, null).newDocScorer().maxSim(stored);
                    assertEquals("java " + type + " " + similarity + " dims " + dims, scalar, java, tolerance);
                }
            }
        }
    }

    /** The native kernels that run are those the CPU's flags (as Linux reports them) allow, under the cap. */
    public void testNativeKernelsRunWhereTheCpuHasTheirInstructions() throws Exception {
        assumeTrue("the native library is built for Linux x86-64", NativeMaxSim.LOADED);
        String cpu = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/cpuinfo"));
        String isa = System.getProperty("multivector.isa", "avx512");
        boolean avx2 = cpu.contains(" avx2") && cpu.contains(" fma");
        boolean avx512 = isa.equals("avx512") && avx2 && cpu.contains(" avx512f") && cpu.contains(" avx512bw") && cpu.contains(" avx512vl");
        boolean avxVnni = isa.equals("avx2") == false && avx2 && cpu.contains(" avx_vnni");
        List<String> int8 = new ArrayList<>(), bit = new ArrayList<>();
        if (avx512 && cpu.contains(" avx512_vnni")) {
            int8.add("native-avx512-vnni");
        }
        if (avxVnni) {
            int8.add("native-avx-vnni");
        }
        if (avx512 && cpu.contains(" avx512_vpopcntdq")) {
            bit.add("native-avx512-vpopcntdq");
        }
        if (avx2) {
            int8.add("native-avx2");
            bit.add("native-avx2");
        }
        if (cpu.contains(" popcnt")) {
            bit.add("native-popcnt");
        }
        assertEquals(int8, names(NativeMaxSim.runnable(NativeMaxSim.INT8_KERNELS)));
        assertEquals(bit, names(NativeMaxSim.runnable(NativeMaxSim.BIT_KERNELS)));
        // queries take the best one, and the inventory names it
        List<String> kernels = MaxSim.kernels();
        assertEquals(kernels.toString(), "int8:" + (int8.isEmpty() ? "java-vector-api-" + FloatMaxSim.SPECIES.vectorBitSize() : int8.get(0)),
            kernels.get(ElementType.INT8.ordinal()));
        assertEquals(kernels.toString(), "bit:" + (bit.isEmpty() ? "java-vector-api-" + BitMaxSim.SPECIES.vectorBitSize() : bit.get(0)),
            kernels.get(ElementType.BIT.ordinal()));
        assertEquals("float:java-vector-api-" + FloatMaxSim.SPECIES.vectorBitSize(), kernels.get(ElementType.FLOAT.ordinal()));
    }

    private static List<String> names(List<NativeMaxSim.Kernel> kernels) {
        return kernels.stream().map(NativeMaxSim.Kernel::name).toList();
    }

    /** Each native int8 kernel against the int8 matrix decoded to float and scored in double precision. */
    public void testNativeInt8KernelsEqualDecodedReference() {
        List<NativeMaxSim.Kernel> kernels = NativeMaxSim.runnable(NativeMaxSim.INT8_KERNELS);
        assumeFalse("no native int8 kernel on this machine", kernels.isEmpty());
        for (int iter = 0; iter < 300; iter++) {
            int dims = 1 + random().nextInt(300), nq = 1 + random().nextInt(70), nd = 1 + random().nextInt(40);
            float[][] query = new float[nq][], doc = new float[nd][];
            for (int i = 0; i < nq; i++) {
                query[i] = random(dims);
            }
            for (int j = 0; j < nd; j++) {
                doc[j] = random(dims);
            }
            byte[] stored = ElementType.INT8.encode(doc, dims);
            float[][] decoded = ElementType.INT8.decode(new BytesRef(stored), dims);
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
            // the stored document sits at an offset inside a larger array, as doc values hand it over
            byte[] shifted = new byte[stored.length + 7];
            System.arraycopy(stored, 0, shifted, 5, stored.length);
            for (NativeMaxSim.Kernel kernel : kernels) {
                String shape = kernel.name() + " dims " + dims + " nq " + nq + " nd " + nd;
                // the query is quantized to int16 (at most half a step per value), document values are exact
                float actual = NativeMaxSim.prepareInt8(kernel, flat, nq, dims).maxSim(shifted, 5, nd);
                assertEquals(shape, expected, actual, 1e-3 * nq * Math.max(1, dims / 128.0));
                // and the same through the scorer a query uses
                MaxSim.PreparedQuery prepared = MaxSim.prepare(query, dims, ElementType.INT8, TokenSimilarity.DOT_PRODUCT, true, kernel, null);
                assertNotNull(prepared.int8);
                assertEquals(shape, actual, prepared.newDocScorer().maxSim(new BytesRef(shifted, 5, stored.length)), 0f);
            }
        }
    }

    /** Each native bit kernel gives exactly what the plain loop gives, from the stored bytes of the rows. */
    public void testNativeBitKernelsEqualScalar() {
        List<NativeMaxSim.Kernel> kernels = NativeMaxSim.runnable(NativeMaxSim.BIT_KERNELS);
        assumeFalse("no native bit kernel on this machine", kernels.isEmpty());
        for (int iter = 0; iter < 300; iter++) {
            // up to 2,100 dims: more than 31 words, where the AVX2 kernel's byte counters are flushed
            int dims = 1 + (random().nextInt(5) == 0 ? random().nextInt(2100) : random().nextInt(300));
            int nq = 1 + random().nextInt(70), nd = 1 + random().nextInt(30);
            float[][] query = new float[nq][], doc = new float[nd][];
            for (int i = 0; i < nq; i++) {
                query[i] = signs(dims);
            }
            for (int j = 0; j < nd; j++) {
                doc[j] = signs(dims);
            }
            BytesRef stored = new BytesRef(ElementType.BIT.encode(doc, dims));
            float expected = MaxSim.prepare(query, dims, ElementType.BIT, TokenSimilarity.DOT_PRODUCT, false).newDocScorer().maxSim(stored);
            for (NativeMaxSim.Kernel kernel : kernels) {
                MaxSim.PreparedQuery prepared = MaxSim.prepare(query, dims, ElementType.BIT, TokenSimilarity.DOT_PRODUCT, true, null, kernel);
                assertNotNull(prepared.nativeBits);
                assertEquals(kernel.name() + " dims " + dims + " nq " + nq + " nd " + nd, expected, prepared.newDocScorer().maxSim(stored), 0f);
            }
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
