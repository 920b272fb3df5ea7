package io.multivector.codec.multivector;

import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * MaxSim(q, D) = Σᵢ maxⱼ sim(qᵢ, dⱼ), over a query prepared once for the field's precision and similarity and
 * documents read straight from their stored bytes into per-scorer buffers (no allocation per document).
 */
public final class MaxSim {

    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT_LE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    /** The OpenSearch node always adds the module; without it, every kernel runs its plain loop. */
    static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private MaxSim() {}

    /** The query rows as the kernels see them: normalized for cosine, reduced to signs (±1) for bit fields. */
    public static float[][] prepareVectors(float[][] query, int dims, ElementType elementType, TokenSimilarity similarity) {
        float[][] prepared = new float[query.length][];
        for (int i = 0; i < query.length; i++) {
            if (query[i].length != dims) {
                throw new IllegalArgumentException("query vector [" + i + "] has [" + query[i].length + "] dims, expected [" + dims + "]");
            }
            prepared[i] = query[i].clone();
            if (elementType == ElementType.BIT) {
                for (int d = 0; d < dims; d++) {
                    prepared[i][d] = prepared[i][d] > 0 ? 1f : -1f;
                }
            } else if (similarity == TokenSimilarity.COSINE) {
                TokenSimilarity.normalize(prepared[i]);
            }
        }
        return prepared;
    }

    /**
     * Which kernel scores each element type in this JVM, as {@code type:kernel}: the native kernel the CPU runs
     * (int8, bit), else the Java Vector API at the CPU's vector width, else plain loops. For the plugin's
     * inventory and the benchmarks.
     */
    public static java.util.List<String> kernels() {
        java.util.List<String> kernels = new java.util.ArrayList<>();
        for (ElementType type : ElementType.values()) {
            NativeMaxSim.Kernel nativeKernel = type == ElementType.INT8 ? NativeMaxSim.INT8 : type == ElementType.BIT ? NativeMaxSim.BIT : null;
            String kernel = nativeKernel != null ? nativeKernel.name()
                : VECTOR_API ? "java-vector-api-" + (type == ElementType.BIT ? BitMaxSim.SPECIES : FloatMaxSim.SPECIES).vectorBitSize()
                : "java-scalar";
            kernels.add(type.name().toLowerCase(java.util.Locale.ROOT) + ":" + kernel);
        }
        return kernels;
    }

    public static PreparedQuery prepare(float[][] query, int dims, ElementType elementType, TokenSimilarity similarity) {
        return prepare(query, dims, elementType, similarity, VECTOR_API, NativeMaxSim.INT8, NativeMaxSim.BIT);
    }

    /** With {@code simd} false, the plain loops score every precision (tests compare the two). */
    static PreparedQuery prepare(float[][] query, int dims, ElementType elementType, TokenSimilarity similarity, boolean simd) {
        return prepare(query, dims, elementType, similarity, simd, simd ? NativeMaxSim.INT8 : null, simd ? NativeMaxSim.BIT : null);
    }

    /** Scored by the given native kernels where they apply (null: Java), so tests can run each kernel the CPU has. */
    static PreparedQuery prepare(float[][] query, int dims, ElementType elementType, TokenSimilarity similarity, boolean simd,
                                 NativeMaxSim.Kernel int8Kernel, NativeMaxSim.Kernel bitKernel) {
        return new PreparedQuery(prepareVectors(query, dims, elementType, similarity), dims, elementType, similarity, simd,
            elementType == ElementType.INT8 ? int8Kernel : elementType == ElementType.BIT ? bitKernel : null);
    }

    /** Immutable and shared by all the scorers of a search; each scorer takes its own {@link DocScorer}. */
    public static final class PreparedQuery {
        final int nq;
        final int dims;
        final ElementType elementType;
        final boolean l2;
        final float[] flat;
        final boolean vectorized;
        final float[] transposed;
        final long[] bits;
        final long[] bitsTransposed;
        /** Set when int8 documents are scored by a native kernel (dot product and cosine). */
        final NativeMaxSim.Int8Query int8;
        /** Set when bit documents are scored by a native kernel. */
        final NativeMaxSim.BitQuery nativeBits;

        PreparedQuery(float[][] rows, int dims, ElementType elementType, TokenSimilarity similarity, boolean vectorized,
                      NativeMaxSim.Kernel nativeKernel) {
            this.vectorized = vectorized;
            this.nq = rows.length;
            this.dims = dims;
            this.elementType = elementType;
            this.l2 = similarity == TokenSimilarity.L2;
            this.flat = new float[nq * dims];
            for (int i = 0; i < nq; i++) {
                System.arraycopy(rows[i], 0, flat, i * dims, dims);
            }
            boolean bit = elementType == ElementType.BIT;
            boolean useNative = nativeKernel != null && NativeMaxSim.fits(nq, dims);
            this.bits = bit ? BitPacking.pack(rows, dims) : null;
            this.nativeBits = bit && useNative ? NativeMaxSim.prepareBit(nativeKernel, bits, nq, dims) : null;
            this.bitsTransposed = bit && vectorized && nativeBits == null ? BitMaxSim.transpose(bits, nq, (dims + 63) / 64) : null;
            this.transposed = bit || vectorized == false ? null : FloatMaxSim.transpose(flat, nq, dims);
            this.int8 = elementType == ElementType.INT8 && l2 == false && useNative ? NativeMaxSim.prepareInt8(nativeKernel, flat, nq, dims) : null;
        }

        public int size() {
            return nq;
        }

        public DocScorer newDocScorer() {
            return new DocScorer(this);
        }
    }

    /** Scores one document at a time; not thread-safe, reuses its buffers. */
    public static final class DocScorer {
        private final PreparedQuery q;
        private final FloatMaxSim.Rows rows = new FloatMaxSim.Rows();
        private long[] words;

        DocScorer(PreparedQuery query) {
            this.q = query;
        }

        /**
         * MaxSim of the query against the current document of a field's doc values. This format's are read in place:
         * the native kernels read the matrix where the file is mapped, float rows are copied straight from the file as
         * the Vector API kernel needs them (the plain loops and the other precisions' decoding take the whole matrix);
         * other doc values, and files not mapped for the native kernels, through a copy of the stored bytes.
         */
        public float maxSim(BinaryDocValues values) throws IOException {
            if (values instanceof MatrixDocValues matrices) {
                int n = matrices.matrixLength() / q.elementType.bytesPerVector(q.dims);
                if (q.nativeBits != null || q.int8 != null) {
                    long address = matrices.matrixAddress();
                    if (address != 0) {
                        return q.nativeBits != null ? q.nativeBits.maxSim(null, address, n) : q.int8.maxSim(null, address, n);
                    }
                } else if (q.elementType == ElementType.FLOAT && q.vectorized) {
                    IndexInput in = matrices.matrices();
                    in.seek(matrices.matrixStart());
                    rows.readLazily(in, n, q.dims);
                    try {
                        return FloatMaxSim.maxSimTransposed(q.transposed, q.nq, rows, q.dims, q.l2);
                    } catch (UncheckedIOException e) {
                        throw e.getCause();
                    }
                }
            }
            return maxSim(values.binaryValue());
        }

        /** MaxSim of the query against one document's stored matrix. */
        public float maxSim(BytesRef stored) {
            int dims = q.dims;
            int stride = q.elementType.bytesPerVector(dims);
            int n = stored.length / stride;
            if (q.nativeBits != null) {
                return q.nativeBits.maxSim(stored.bytes, stored.offset, n);
            }
            if (q.elementType == ElementType.BIT) {
                words = BitPacking.unpack(stored.bytes, stored.offset, n, stride, words);
                int wordsPerRow = (stride + 7) / 8;
                return q.vectorized ? BitMaxSim.maxSim(q.bitsTransposed, q.nq, words, n, wordsPerRow, dims)
                    : ScalarMaxSim.bits(q.bits, q.nq, words, n, wordsPerRow, dims);
            }
            if (q.int8 != null) {
                return q.int8.maxSim(stored.bytes, stored.offset, n);
            }
            float[] floats = rows.resize(n, dims);
            switch (q.elementType) {
                case FLOAT -> ByteBuffer.wrap(stored.bytes, stored.offset, stored.length).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                    .get(floats, 0, n * dims);
                case FLOAT16 -> {
                    byte[] bytes = stored.bytes;
                    for (int i = 0, p = stored.offset, end = n * dims; i < end; i++, p += Short.BYTES) {
                        floats[i] = Float.float16ToFloat((short) SHORT_LE.get(bytes, p)); // a plain loop the JIT turns into VCVTPH2PS
                    }
                }
                case INT8 -> {
                    byte[] bytes = stored.bytes;
                    for (int j = 0, o = 0, p = stored.offset; j < n; j++) {
                        float scale = (float) FLOAT_LE.get(bytes, p);
                        p += Float.BYTES;
                        for (int c = 0; c < dims; c++) {
                            floats[o++] = scale * bytes[p++];
                        }
                    }
                }
                default -> throw new AssertionError(q.elementType);
            }
            return q.vectorized ? FloatMaxSim.maxSimTransposed(q.transposed, q.nq, rows, dims, q.l2)
                : ScalarMaxSim.floats(q.flat, q.nq, floats, n, dims, q.l2);
        }
    }
}
