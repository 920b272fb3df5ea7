package io.multivector.codec.multivector;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * The native MaxSim kernels (src/main/c/, one function per instruction set in one library): int8 on AVX-512
 * VNNI, AVX-VNNI or AVX2, bit on AVX-512 VPOPCNTDQ, AVX2 or POPCNT. At load the library reports the CPU's
 * features and each element type takes the best kernel the CPU runs; with none, int8 documents are decoded to
 * float and bit documents scored with the Vector API in Java. The JDK Vector API has no integer dot-product
 * instruction, so int8 is where Java cannot reach the hardware.
 *
 * <p>System properties: {@code multivector.native=false} scores everything in Java; {@code multivector.isa}
 * ({@code avx512}, {@code avx-vnni}, {@code avx2} or {@code none}) caps the instruction sets the native kernels
 * may use, so that an AVX-512 machine runs (and tests, and benchmarks) what an AVX2 one would.
 */
final class NativeMaxSim {

    /** One native kernel: its name in the inventory, its index in the library's table (maxsim_jni.c), what it needs. */
    record Kernel(String name, int index, int features, int level) {
        boolean runsHere() {
            return LOADED && (FEATURES & features) == features && level <= CAP;
        }
    }

    // CPU features, as maxsim.h numbers them
    private static final int AVX2 = 1, AVX512 = 2, AVX512_VNNI = 4, AVX_VNNI = 8, AVX512_VPOPCNTDQ = 16, POPCNT = 32;
    // instruction-set levels that multivector.isa caps
    private static final int LEVEL_AVX2 = 1, LEVEL_AVX_VNNI = 2, LEVEL_AVX512 = 3;

    /** Every int8 kernel, best first. */
    static final List<Kernel> INT8_KERNELS = List.of(
        new Kernel("native-avx512-vnni", 0, AVX2 | AVX512 | AVX512_VNNI, LEVEL_AVX512),
        new Kernel("native-avx-vnni", 1, AVX2 | AVX_VNNI, LEVEL_AVX_VNNI),
        new Kernel("native-avx2", 2, AVX2, LEVEL_AVX2));

    /** Every bit kernel, best first (README: AVX2's table lookups against scalar POPCNT). */
    static final List<Kernel> BIT_KERNELS = List.of(
        new Kernel("native-avx512-vpopcntdq", 0, AVX2 | AVX512 | AVX512_VPOPCNTDQ, LEVEL_AVX512),
        new Kernel("native-avx2", 1, AVX2, LEVEL_AVX2),
        new Kernel("native-popcnt", 2, POPCNT, LEVEL_AVX2));

    private static final String RESOURCE = "/native/linux-x86_64/libmultivector_maxsim.so";
    private static final int CAP = cap(System.getProperty("multivector.isa", "avx512"));
    static final boolean LOADED = CAP > 0 && load();
    private static final int FEATURES = LOADED ? cpuFeatures() : 0;
    private static final int MAX_DIMS = LOADED ? maxDims() : 0;
    private static final int MAX_QUERY_ROWS = LOADED ? maxQueryRows() : 0;
    static final int INT8_LANES = 16;
    static final int BIT_LANES = 8;

    /** The kernels that score int8 and bit documents in this JVM, null where Java does. */
    static final Kernel INT8 = best(INT8_KERNELS);
    static final Kernel BIT = best(BIT_KERNELS);

    private NativeMaxSim() {}

    private static int cap(String isa) {
        if ("false".equals(System.getProperty("multivector.native"))) {
            return 0;
        }
        return switch (isa.toLowerCase(Locale.ROOT)) {
            case "avx512" -> LEVEL_AVX512;
            case "avx-vnni" -> LEVEL_AVX_VNNI;
            case "avx2" -> LEVEL_AVX2;
            case "none" -> 0;
            default -> throw new IllegalArgumentException("multivector.isa must be one of [avx512, avx-vnni, avx2, none], got [" + isa + "]");
        };
    }

    private static Kernel best(List<Kernel> kernels) {
        return runnable(kernels).stream().findFirst().orElse(null);
    }

    /** The kernels of a list that this CPU runs under the cap: what the tests compare against the reference. */
    static List<Kernel> runnable(List<Kernel> kernels) {
        return kernels.stream().filter(Kernel::runsHere).toList();
    }

    private static boolean load() {
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux") == false
            || "amd64".equals(System.getProperty("os.arch")) == false) {
            return false;
        }
        try (InputStream in = NativeMaxSim.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return false;
            }
            Path dir = Files.createTempDirectory("multivector-native");
            Path lib = dir.resolve("libmultivector_maxsim.so");
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            System.load(lib.toAbsolutePath().toString());
            // the loaded library stays mapped; its file is no longer needed
            Files.delete(lib);
            Files.delete(dir);
            return true;
        } catch (Exception | LinkageError e) {
            return false;
        }
    }

    /** Whether a query of this shape fits the native kernels (they use fixed-size stack buffers). */
    static boolean fits(int nq, int dims) {
        return nq <= MAX_QUERY_ROWS && dims <= MAX_DIMS;
    }

    /**
     * The query quantized to int16 per row (scale = max |x| / limit) and laid out as the kernel reads it: blocks
     * of 16 rows, then per pair of dimensions one int per row holding both int16 values. The limit keeps the
     * int32 sum of {@code dims} products with int8 document values from overflowing.
     */
    static Int8Query prepareInt8(Kernel kernel, float[] flat, int nq, int dims) {
        int limit = (int) Math.min(Short.MAX_VALUE, (Integer.MAX_VALUE - 1L) / (128L * dims));
        int pairs = (dims + 1) / 2;
        int blocks = (nq + INT8_LANES - 1) / INT8_LANES;
        int[] packed = new int[blocks * pairs * INT8_LANES];
        float[] scales = new float[blocks * INT8_LANES];
        for (int i = 0; i < nq; i++) {
            float max = 0;
            for (int c = 0; c < dims; c++) {
                max = Math.max(max, Math.abs(flat[i * dims + c]));
            }
            float scale = max / limit;
            scales[i] = scale;
            int base = (i / INT8_LANES) * pairs * INT8_LANES + i % INT8_LANES;
            for (int p = 0; p < pairs; p++) {
                int lo = quantize(flat, i * dims + 2 * p, scale);
                int hi = 2 * p + 1 < dims ? quantize(flat, i * dims + 2 * p + 1, scale) : 0;
                packed[base + p * INT8_LANES] = (lo & 0xFFFF) | (hi << 16);
            }
        }
        return new Int8Query(kernel.index(), aligned(packed), aligned(scales), nq, dims);
    }

    /**
     * The query in native memory at a 64-byte boundary (a cache line, one AVX-512 load), where the kernels read it
     * on every row. A Java array's values start 16 bytes into an object aligned to 8, so half the 256-bit loads and
     * all the 512-bit ones of the query crossed a cache line: the AVX2 int8 kernel took 8.0 µs per ColBERT-shape
     * document with its query 16 bytes off a line against 6.8 on one (measured in C). Freed with the buffer.
     */
    private static ByteBuffer aligned(int[] values) {
        ByteBuffer buffer = allocateAligned(values.length * Integer.BYTES);
        buffer.asIntBuffer().put(values);
        return buffer;
    }

    private static ByteBuffer aligned(float[] values) {
        ByteBuffer buffer = allocateAligned(values.length * Float.BYTES);
        buffer.asFloatBuffer().put(values);
        return buffer;
    }

    private static ByteBuffer aligned(long[] values) {
        ByteBuffer buffer = allocateAligned(values.length * Long.BYTES);
        buffer.asLongBuffer().put(values);
        return buffer;
    }

    private static ByteBuffer allocateAligned(int bytes) {
        return ByteBuffer.allocateDirect(bytes + 63).alignedSlice(64).order(ByteOrder.nativeOrder());
    }

    private static int quantize(float[] flat, int index, float scale) {
        return scale == 0 ? 0 : Math.round(flat[index] / scale);
    }

    /** Documents are read from {@code doc} at {@code offset}, or with {@code doc} null from memory at address {@code offset}. */
    record Int8Query(int kernel, ByteBuffer packed, ByteBuffer scales, int nq, int dims) {
        float maxSim(byte[] doc, long offset, int nd) {
            return maxSimInt8(kernel, packed, scales, nq, dims, doc, offset, nd);
        }
    }

    /** The packed sign bits of the query ({@link BitPacking#pack}) in blocks of eight rows, as the bit kernels read them. */
    static BitQuery prepareBit(Kernel kernel, long[] packed, int nq, int dims) {
        int words = (dims + 63) / 64;
        return new BitQuery(kernel.index(), aligned(BitPacking.transpose(packed, nq, words, BIT_LANES)), nq, words, dims);
    }

    /** Documents are read as {@link Int8Query}'s are. */
    record BitQuery(int kernel, ByteBuffer transposed, int nq, int words, int dims) {
        /** {@code dims − 2·hamming} summed over query rows, from the document's stored bit rows. */
        float maxSim(byte[] doc, long offset, int nd) {
            long hamming = hammingBit(kernel, transposed, nq, words, doc, offset, nd, (dims + 7) / 8);
            return (float) ((long) nq * dims - 2 * hamming);
        }
    }

    private static native int cpuFeatures();

    private static native int maxDims();

    private static native int maxQueryRows();

    private static native float maxSimInt8(int kernel, ByteBuffer query, ByteBuffer scales, int nq, int dims, byte[] doc, long offset, int nd);

    private static native long hammingBit(int kernel, ByteBuffer query, int nq, int words, byte[] doc, long offset, int nd, int rowBytes);
}
