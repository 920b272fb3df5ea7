package io.multivector.codec.multivector;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Bit rows as longs: the query's signs packed once, a document's stored bytes read into whole-long rows. */
final class BitPacking {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private BitPacking() {}

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

    /**
     * The packed rows transposed in blocks of {@code lanes} rows, {@code [block][word][row in block]}, so one
     * document word broadcast against a block XORs and counts the bits of {@code lanes} query rows at once.
     * Padded rows are zero and never summed.
     */
    static long[] transpose(long[] packed, int nq, int words, int lanes) {
        int blocks = (nq + lanes - 1) / lanes;
        long[] t = new long[blocks * words * lanes];
        for (int i = 0; i < nq; i++) {
            for (int w = 0; w < words; w++) {
                t[((i / lanes) * words + w) * lanes + i % lanes] = packed[i * words + w];
            }
        }
        return t;
    }
}
