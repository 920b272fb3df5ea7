package io.multivector.codec.multivector;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The int8 MaxSim kernel in native code (src/main/c/maxsim_int8.c, AVX-512 VNNI), used when the library loads
 * and the CPU has the instructions; otherwise int8 documents are decoded to float and scored in Java. The JDK
 * Vector API has no integer dot-product instruction, so this is the one kernel where Java cannot reach the
 * hardware. Set the system property {@code multivector.native=false} to score int8 in Java.
 */
final class NativeMaxSim {

    private static final String RESOURCE = "/native/linux-x86_64/libmultivector_maxsim.so";
    static final boolean AVAILABLE = load();
    private static final int MAX_DIMS = AVAILABLE ? maxDims() : 0;
    private static final int MAX_QUERY_ROWS = AVAILABLE ? maxQueryRows() : 0;
    static final int LANES = 16;

    private NativeMaxSim() {}

    private static boolean load() {
        if ("false".equals(System.getProperty("multivector.native"))
            || System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux") == false
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
            return cpuSupported();
        } catch (Exception | LinkageError e) {
            return false;
        }
    }

    /** Whether a query of this shape can run on the native kernel (it uses fixed-size stack buffers). */
    static boolean supports(int nq, int dims) {
        return AVAILABLE && nq <= MAX_QUERY_ROWS && dims <= MAX_DIMS;
    }

    /**
     * The query quantized to int16 per row (scale = max |x| / limit) and laid out as the kernel reads it: blocks
     * of 16 rows, then per pair of dimensions one int per row holding both int16 values. The limit keeps the
     * int32 sum of {@code dims} products with int8 document values from overflowing.
     */
    static Query prepare(float[] flat, int nq, int dims) {
        int limit = (int) Math.min(Short.MAX_VALUE, (Integer.MAX_VALUE - 1L) / (128L * dims));
        int pairs = (dims + 1) / 2;
        int blocks = (nq + LANES - 1) / LANES;
        int[] packed = new int[blocks * pairs * LANES];
        float[] scales = new float[blocks * LANES];
        for (int i = 0; i < nq; i++) {
            float max = 0;
            for (int c = 0; c < dims; c++) {
                max = Math.max(max, Math.abs(flat[i * dims + c]));
            }
            float scale = max / limit;
            scales[i] = scale;
            int base = (i / LANES) * pairs * LANES + i % LANES;
            for (int p = 0; p < pairs; p++) {
                int lo = quantize(flat, i * dims + 2 * p, scale);
                int hi = 2 * p + 1 < dims ? quantize(flat, i * dims + 2 * p + 1, scale) : 0;
                packed[base + p * LANES] = (lo & 0xFFFF) | (hi << 16);
            }
        }
        return new Query(packed, scales, nq, dims);
    }

    private static int quantize(float[] flat, int index, float scale) {
        return scale == 0 ? 0 : Math.round(flat[index] / scale);
    }

    record Query(int[] packed, float[] scales, int nq, int dims) {
        float maxSim(byte[] doc, int offset, int nd) {
            return maxSimInt8(packed, scales, nq, dims, doc, offset, nd);
        }
    }

    private static native boolean cpuSupported();

    private static native int maxDims();

    private static native int maxQueryRows();

    private static native float maxSimInt8(int[] query, float[] scales, int nq, int dims, byte[] doc, int offset, int nd);
}
