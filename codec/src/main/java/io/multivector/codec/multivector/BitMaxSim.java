package io.multivector.codec.multivector;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * MaxSim over sign bits: the similarity of two ±1 vectors is {@code dims − 2·hamming}, and the hamming distance
 * of 64 dimensions is one XOR and one popcount (a single instruction), so bit fields score far faster than float.
 */
final class BitMaxSim {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private BitMaxSim() {}

    /** Packs ±1 query rows (as {@link ElementType#BIT} encodes them) into longs: words per row = ceil(dims / 64). */
    static long[] pack(float[][] query, int dims) {
        int words = (dims + 63) / 64;
        long[] packed = new long[query.length * words];
        for (int i = 0; i < query.length; i++) {
            for (int d = 0; d < dims; d++) {
                if (query[i][d] > 0) {
                    packed[i * words + d / 64] |= 1L << (d % 64);
                }
            }
        }
        return packed;
    }

    /**
     * @param doc   the document's bit rows, {@code bytesPerRow} each, copied into a buffer padded to whole longs per row
     */
    static float maxSim(long[] query, int nq, long[] doc, int nd, int words, int dims) {
        long sum = 0;
        int i = 0;
        for (; i + 4 <= nq; i += 4) { // four query rows per loaded document row
            int q0 = i * words, q1 = q0 + words, q2 = q1 + words, q3 = q2 + words;
            int b0 = Integer.MAX_VALUE, b1 = b0, b2 = b0, b3 = b0;
            for (int d = 0, end = nd * words; d < end; d += words) {
                int h0 = 0, h1 = 0, h2 = 0, h3 = 0;
                for (int w = 0; w < words; w++) {
                    long x = doc[d + w];
                    h0 += Long.bitCount(query[q0 + w] ^ x);
                    h1 += Long.bitCount(query[q1 + w] ^ x);
                    h2 += Long.bitCount(query[q2 + w] ^ x);
                    h3 += Long.bitCount(query[q3 + w] ^ x);
                }
                b0 = Math.min(b0, h0);
                b1 = Math.min(b1, h1);
                b2 = Math.min(b2, h2);
                b3 = Math.min(b3, h3);
            }
            sum += 4L * dims - 2L * ((long) b0 + b1 + b2 + b3);
        }
        for (; i < nq; i++) {
            int best = Integer.MAX_VALUE;
            int qo = i * words;
            for (int d = 0, end = nd * words; d < end; d += words) {
                int hamming = 0;
                for (int w = 0; w < words; w++) {
                    hamming += Long.bitCount(query[qo + w] ^ doc[d + w]);
                }
                best = Math.min(best, hamming);
            }
            sum += dims - 2L * best;
        }
        return sum;
    }

    /** Reads bit rows of {@code bytesPerRow} bytes into whole-long rows (unused high bits stay zero). */
    static long[] unpack(byte[] bytes, int offset, int nd, int bytesPerRow, long[] into) {
        int words = (bytesPerRow + 7) / 8;
        if (into == null || into.length < nd * words) {
            into = new long[Math.max(nd * words, into == null ? 64 : into.length * 2)];
        }
        for (int j = 0; j < nd; j++) {
            int src = offset + j * bytesPerRow;
            int full = bytesPerRow / 8;
            for (int w = 0; w < full; w++) {
                into[j * words + w] = (long) LONGS.get(bytes, src + w * 8);
            }
            if (full < words) {
                long last = 0;
                for (int b = full * 8; b < bytesPerRow; b++) {
                    last |= (bytes[src + b] & 0xFFL) << ((b - full * 8) * 8);
                }
                into[j * words + full] = last;
            }
        }
        return into;
    }
}
