package io.multivector.codec.multivector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.apache.lucene.store.IndexInput;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * MaxSim over float documents laid out flat (row after row) and a query transposed once, so that query rows sit
 * in vector lanes: no horizontal sum per (query, token) pair, and each broadcast document value feeds up to four
 * fused multiply-adds.
 */
final class FloatMaxSim {

    private FloatMaxSim() {}

    /** The CPU's widest vectors (512 bits with AVX-512, 256 with AVX2): query rows per block. */
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES_T = SPECIES.length();
    /**
     * AVX-512 has 32 vector registers, AVX2 16: eight accumulators with four document rows' operands only fit the
     * former (with AVX2 the JIT spilled them and ran 15% slower than four chains); with two rows they fit both.
     */
    private static final boolean MANY_REGISTERS = SPECIES.vectorBitSize() >= 512;

    /**
     * The query transposed in blocks of {@link #LANES_T} rows: {@code [block][dim][row in block]}, rows past the
     * end zero. Built once per query; the transposed kernel then needs no horizontal sum per (query, token) pair.
     */
    static float[] transpose(float[] q, int nq, int dims) {
        int blocks = (nq + LANES_T - 1) / LANES_T;
        float[] t = new float[blocks * dims * LANES_T];
        for (int i = 0; i < nq; i++) {
            for (int c = 0; c < dims; c++) {
                t[((i / LANES_T) * dims + c) * LANES_T + (i % LANES_T)] = q[i * dims + c];
            }
        }
        return t;
    }

    /**
     * Query rows in lanes: each document value is broadcast once and multiplies the same dimension of a block of
     * query rows, and the best token per query is a lane-wise max; one reduction per query block and document.
     * Independent FMA chains per pass (an FMA's latency is four cycles on two units, so eight keep them busy):
     * four blocks and two document rows (one pass over the document per 32 or 64 query rows); for two blocks left,
     * with 32 registers two blocks and four rows, with 16 two blocks and two rows; else one block and four rows.
     */
    static float maxSimTransposed(float[] qT, int nq, Rows rows, int dims, boolean l2) {
        VectorSpecies<Float> species = SPECIES;
        float[] doc = rows.values;
        int nd = rows.count;
        int blocks = (nq + LANES_T - 1) / LANES_T;
        FloatVector minusInf = FloatVector.broadcast(species, Float.NEGATIVE_INFINITY);
        float sum = 0;
        int b = 0;
        for (; b + 4 <= blocks && l2 == false; b += 4) { // four blocks, two document rows: eight FMA chains
            int s0 = b * dims * LANES_T, s1 = s0 + dims * LANES_T, s2 = s1 + dims * LANES_T, s3 = s2 + dims * LANES_T;
            FloatVector b0 = minusInf, b1 = minusInf, b2 = minusInf, b3 = minusInf;
            int j = 0;
            for (; j + 2 <= nd; j += 2) {
                rows.ensure(j + 2);
                int d0 = j * dims, d1 = d0 + dims;
                FloatVector a0 = FloatVector.zero(species), a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
                for (int c = 0, o = 0; c < dims; c++, o += LANES_T) {
                    FloatVector x0 = FloatVector.broadcast(species, doc[d0 + c]), x1 = FloatVector.broadcast(species, doc[d1 + c]);
                    FloatVector q0 = FloatVector.fromArray(species, qT, s0 + o), q1 = FloatVector.fromArray(species, qT, s1 + o);
                    a0 = q0.fma(x0, a0);
                    c0 = q0.fma(x1, c0);
                    a1 = q1.fma(x0, a1);
                    c1 = q1.fma(x1, c1);
                    FloatVector q2 = FloatVector.fromArray(species, qT, s2 + o), q3 = FloatVector.fromArray(species, qT, s3 + o);
                    a2 = q2.fma(x0, a2);
                    c2 = q2.fma(x1, c2);
                    a3 = q3.fma(x0, a3);
                    c3 = q3.fma(x1, c3);
                }
                b0 = b0.max(a0.max(c0));
                b1 = b1.max(a1.max(c1));
                b2 = b2.max(a2.max(c2));
                b3 = b3.max(a3.max(c3));
            }
            if (j < nd) { // an odd last row
                rows.ensure(nd);
                int d0 = j * dims;
                FloatVector a0 = FloatVector.zero(species), a1 = a0, a2 = a0, a3 = a0;
                for (int c = 0, o = 0; c < dims; c++, o += LANES_T) {
                    FloatVector x0 = FloatVector.broadcast(species, doc[d0 + c]);
                    a0 = FloatVector.fromArray(species, qT, s0 + o).fma(x0, a0);
                    a1 = FloatVector.fromArray(species, qT, s1 + o).fma(x0, a1);
                    a2 = FloatVector.fromArray(species, qT, s2 + o).fma(x0, a2);
                    a3 = FloatVector.fromArray(species, qT, s3 + o).fma(x0, a3);
                }
                b0 = b0.max(a0);
                b1 = b1.max(a1);
                b2 = b2.max(a2);
                b3 = b3.max(a3);
            }
            sum += sumLanes(b0.add(b1).add(b2), LANES_T) + sumLanes(b3, nq - (b + 3) * LANES_T);
        }
        for (; b + 2 <= blocks && l2 == false; b += 2) { // two blocks, four document rows (eight chains) or two (four)
            int s0 = b * dims * LANES_T, s1 = s0 + dims * LANES_T;
            FloatVector b0 = minusInf, b1 = minusInf;
            int j = 0;
            for (; j + 2 <= nd && MANY_REGISTERS == false; j += 2) {
                rows.ensure(j + 2);
                int d0 = j * dims, d1 = d0 + dims;
                FloatVector a0 = FloatVector.zero(species), a1 = a0, c0 = a0, c1 = a0;
                for (int c = 0, o = 0; c < dims; c++, o += LANES_T) {
                    FloatVector q0 = FloatVector.fromArray(species, qT, s0 + o), q1 = FloatVector.fromArray(species, qT, s1 + o);
                    FloatVector x0 = FloatVector.broadcast(species, doc[d0 + c]), x1 = FloatVector.broadcast(species, doc[d1 + c]);
                    a0 = q0.fma(x0, a0);
                    c0 = q1.fma(x0, c0);
                    a1 = q0.fma(x1, a1);
                    c1 = q1.fma(x1, c1);
                }
                b0 = b0.max(a0.max(a1));
                b1 = b1.max(c0.max(c1));
            }
            for (; j + 4 <= nd && MANY_REGISTERS; j += 4) {
                rows.ensure(j + 4);
                int d0 = j * dims, d1 = d0 + dims, d2 = d1 + dims, d3 = d2 + dims;
                FloatVector a0 = FloatVector.zero(species), a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
                for (int c = 0, o = 0; c < dims; c++, o += LANES_T) {
                    FloatVector q0 = FloatVector.fromArray(species, qT, s0 + o), q1 = FloatVector.fromArray(species, qT, s1 + o);
                    FloatVector x0 = FloatVector.broadcast(species, doc[d0 + c]), x1 = FloatVector.broadcast(species, doc[d1 + c]);
                    a0 = q0.fma(x0, a0);
                    c0 = q1.fma(x0, c0);
                    a1 = q0.fma(x1, a1);
                    c1 = q1.fma(x1, c1);
                    FloatVector x2 = FloatVector.broadcast(species, doc[d2 + c]), x3 = FloatVector.broadcast(species, doc[d3 + c]);
                    a2 = q0.fma(x2, a2);
                    c2 = q1.fma(x2, c2);
                    a3 = q0.fma(x3, a3);
                    c3 = q1.fma(x3, c3);
                }
                b0 = b0.max(a0.max(a1).max(a2.max(a3)));
                b1 = b1.max(c0.max(c1).max(c2.max(c3)));
            }
            for (; j < nd; j++) { // the last rows, one at a time
                rows.ensure(j + 1);
                int d0 = j * dims;
                FloatVector a0 = FloatVector.zero(species), a1 = a0;
                for (int c = 0, o = 0; c < dims; c++, o += LANES_T) {
                    FloatVector x0 = FloatVector.broadcast(species, doc[d0 + c]);
                    a0 = FloatVector.fromArray(species, qT, s0 + o).fma(x0, a0);
                    a1 = FloatVector.fromArray(species, qT, s1 + o).fma(x0, a1);
                }
                b0 = b0.max(a0);
                b1 = b1.max(a1);
            }
            sum += sumLanes(b0, LANES_T) + sumLanes(b1, nq - (b + 1) * LANES_T);
        }
        for (; b < blocks; b++) { // one block left (or l2): four document rows per pass keep four FMA chains busy
            int base = b * dims * LANES_T;
            FloatVector best = minusInf;
            int j = 0;
            for (; j + 4 <= nd; j += 4) {
                rows.ensure(j + 4);
                int d0 = j * dims, d1 = d0 + dims, d2 = d1 + dims, d3 = d2 + dims;
                FloatVector a0 = FloatVector.zero(species), a1 = a0, a2 = a0, a3 = a0;
                for (int c = 0, o = base; c < dims; c++, o += LANES_T) {
                    FloatVector qv = FloatVector.fromArray(species, qT, o);
                    if (l2) {
                        FloatVector e0 = qv.sub(doc[d0 + c]), e1 = qv.sub(doc[d1 + c]), e2 = qv.sub(doc[d2 + c]), e3 = qv.sub(doc[d3 + c]);
                        a0 = e0.fma(e0, a0);
                        a1 = e1.fma(e1, a1);
                        a2 = e2.fma(e2, a2);
                        a3 = e3.fma(e3, a3);
                    } else {
                        a0 = qv.fma(FloatVector.broadcast(species, doc[d0 + c]), a0);
                        a1 = qv.fma(FloatVector.broadcast(species, doc[d1 + c]), a1);
                        a2 = qv.fma(FloatVector.broadcast(species, doc[d2 + c]), a2);
                        a3 = qv.fma(FloatVector.broadcast(species, doc[d3 + c]), a3);
                    }
                }
                best = best.max(l2 ? a0.min(a1).min(a2.min(a3)).neg() : a0.max(a1).max(a2.max(a3)));
            }
            for (int d = j * dims; j < nd; j++, d += dims) {
                rows.ensure(j + 1);
                FloatVector acc = FloatVector.zero(species);
                for (int c = 0; c < dims; c++) {
                    FloatVector qv = FloatVector.fromArray(species, qT, base + c * LANES_T);
                    if (l2) {
                        FloatVector e = qv.sub(doc[d + c]);
                        acc = e.fma(e, acc);
                    } else {
                        acc = qv.fma(FloatVector.broadcast(species, doc[d + c]), acc);
                    }
                }
                best = best.max(l2 ? acc.neg() : acc);
            }
            sum += sumLanes(best, nq - b * LANES_T); // padded rows don't count
        }
        return sum;
    }

    /**
     * A document's rows as the kernel reads them: all in {@link #values} already (decoded from stored bytes), or
     * copied in from the index file as the kernel goes. Copying a few rows ahead of the rows being multiplied lets
     * the copy's cache misses overlap the arithmetic, where copying the whole matrix first would wait for all of
     * them (ColBERT shape, AVX2: about 16 instead of 19 µs per document). Not thread-safe; one per doc scorer.
     */
    static final class Rows {
        /** Rows copied beyond the ones the kernel asks for: about a page of 128-dim float rows. */
        private static final int AHEAD = 8;

        float[] values = new float[0];
        int count;
        private int dims;
        private int ready;
        private IndexInput in;

        /** Room for {@code count} rows of {@code dims} values, which the caller fills. */
        float[] resize(int count, int dims) {
            if (values.length < count * dims) {
                values = new float[Math.max(count * dims, values.length * 2)];
            }
            this.count = count;
            this.dims = dims;
            this.ready = count;
            this.in = null;
            return values;
        }

        /** {@code count} rows of little-endian floats, to be read from {@code in}'s current position as the kernel asks. */
        void readLazily(IndexInput in, int count, int dims) {
            resize(count, dims);
            this.ready = 0;
            this.in = in;
        }

        /**
         * Makes the first {@code end} rows readable. A read error is thrown unchecked, so that the kernel (which rows
         * already in memory also go through) declares none; {@code MaxSim.DocScorer} rethrows it as it was.
         */
        void ensure(int end) {
            if (end > ready) {
                int upTo = Math.min(count, end + AHEAD);
                try {
                    in.readFloats(values, ready * dims, (upTo - ready) * dims);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                ready = upTo;
            }
        }
    }

    /**
     * The first {@code rows} lanes added left to right. Not {@code reduceLanes}: it may add in any order, and the
     * interpreter's order differs from the compiled one's, so a document would score a few ulps apart before and after
     * the JIT compiles the kernel, and equal scores (ties, one shard against three) must stay equal.
     */
    private static float sumLanes(FloatVector perRow, int rows) {
        float[] lanes = perRow.toArray();
        float sum = 0;
        for (int i = 0, n = Math.min(rows, lanes.length); i < n; i++) {
            sum += lanes[i];
        }
        return sum;
    }
}
