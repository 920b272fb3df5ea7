package io.multivector.codec.multivector;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;


/**
 * MaxSim over sign bits: the similarity of two ±1 vectors is {@code dims − 2·hamming}, and the hamming distance
 * of 64 dimensions is one XOR and one popcount (a single instruction), so bit fields score far faster than float.
 */
final class BitMaxSim {

    private BitMaxSim() {}

    /** The CPU's widest vectors (512 bits with AVX-512, 256 with AVX2): query rows per block. */
    static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();

    /** The packed query in blocks of {@link #LANES} rows ({@link BitPacking#transpose}). */
    static long[] transpose(long[] packed, int nq, int words) {
        return BitPacking.transpose(packed, nq, words, LANES);
    }

    /**
     * Query rows in lanes: the smallest hamming distance of each query row over the document's rows is a lane-wise
     * min, so a document costs one XOR, one popcount and one add per (document word, block of query rows).
     *
     * @param qT  the query as {@link #transpose} lays it out
     * @param doc the document's bit rows as {@link BitPacking#unpack} lays them out
     */
    static float maxSim(long[] qT, int nq, long[] doc, int nd, int words, int dims) {
        VectorSpecies<Long> species = SPECIES;
        int blocks = (nq + LANES - 1) / LANES;
        int blockStride = words * LANES;
        LongVector maxHamming = LongVector.broadcast(species, Long.MAX_VALUE);
        long hammingSum = 0;
        int b = 0;
        for (; b + 2 <= blocks; b += 2) { // two blocks share each broadcast document word
            int s0 = b * blockStride, s1 = s0 + blockStride;
            LongVector m0 = maxHamming, m1 = maxHamming;
            for (int d = 0, end = nd * words; d < end; d += words) {
                LongVector h0 = LongVector.zero(species), h1 = h0;
                for (int w = 0, o = 0; w < words; w++, o += LANES) {
                    long x = doc[d + w];
                    h0 = h0.add(LongVector.fromArray(species, qT, s0 + o).lanewise(VectorOperators.XOR, x).lanewise(VectorOperators.BIT_COUNT));
                    h1 = h1.add(LongVector.fromArray(species, qT, s1 + o).lanewise(VectorOperators.XOR, x).lanewise(VectorOperators.BIT_COUNT));
                }
                m0 = m0.min(h0);
                m1 = m1.min(h1);
            }
            hammingSum += m0.reduceLanesToLong(VectorOperators.ADD) + sumRealRows(m1, nq - (b + 1) * LANES);
        }
        for (; b < blocks; b++) { // one block left: two document rows per pass keep two chains busy
            int s0 = b * blockStride;
            LongVector m0 = maxHamming, m1 = maxHamming;
            int d = 0, end = nd * words;
            for (; d + 2 * words <= end; d += 2 * words) {
                LongVector h0 = LongVector.zero(species), h1 = h0;
                for (int w = 0, o = 0; w < words; w++, o += LANES) {
                    LongVector q = LongVector.fromArray(species, qT, s0 + o);
                    h0 = h0.add(q.lanewise(VectorOperators.XOR, doc[d + w]).lanewise(VectorOperators.BIT_COUNT));
                    h1 = h1.add(q.lanewise(VectorOperators.XOR, doc[d + words + w]).lanewise(VectorOperators.BIT_COUNT));
                }
                m0 = m0.min(h0);
                m1 = m1.min(h1);
            }
            m0 = m0.min(m1);
            for (; d < end; d += words) {
                LongVector h0 = LongVector.zero(species);
                for (int w = 0, o = 0; w < words; w++, o += LANES) {
                    h0 = h0.add(LongVector.fromArray(species, qT, s0 + o).lanewise(VectorOperators.XOR, doc[d + w]).lanewise(VectorOperators.BIT_COUNT));
                }
                m0 = m0.min(h0);
            }
            hammingSum += sumRealRows(m0, nq - b * LANES);
        }
        return (float) ((long) nq * dims - 2 * hammingSum);
    }

    private static long sumRealRows(LongVector perRow, int realRows) {
        return perRow.reduceLanesToLong(VectorOperators.ADD, perRow.species().indexInRange(0, realRows));
    }
}
