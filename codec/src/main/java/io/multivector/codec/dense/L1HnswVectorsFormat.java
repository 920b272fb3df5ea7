package io.multivector.codec.dense;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.hnsw.FlatVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99FlatVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsReader;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsWriter;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

import java.io.IOException;

/**
 * HNSW over float vectors with Manhattan (L1) distance. Lucene's HNSW writer and reader, given flat vectors
 * whose scorer is {@link L1VectorScorer}: the graph is built from L1 neighbours and searched by L1, so results
 * are those of L1, not of the metric that the field info records (Lucene has no L1 similarity to record).
 */
public final class L1HnswVectorsFormat extends KnnVectorsFormat {

    public static final String NAME = "MultiVectorL1Hnsw10";
    static final int MAX_DIMS = 4096;

    private final int maxConn;
    private final int beamWidth;
    private final FlatVectorsFormat flatFormat = new Lucene99FlatVectorsFormat(L1VectorScorer.INSTANCE);

    /** For reading: the graph parameters only matter when writing. */
    public L1HnswVectorsFormat() {
        this(Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN, Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH);
    }

    public L1HnswVectorsFormat(int maxConn, int beamWidth) {
        super(NAME);
        this.maxConn = maxConn;
        this.beamWidth = beamWidth;
    }

    @Override
    public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
        return new Lucene99HnswVectorsWriter(state, maxConn, beamWidth, flatFormat.fieldsWriter(state), 1, null);
    }

    @Override
    public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
        return new Lucene99HnswVectorsReader(state, flatFormat.fieldsReader(state));
    }

    @Override
    public int getMaxDimensions(String fieldName) {
        return MAX_DIMS;
    }

    @Override
    public String toString() {
        return NAME + "(maxConn=" + maxConn + ", beamWidth=" + beamWidth + ")";
    }
}
