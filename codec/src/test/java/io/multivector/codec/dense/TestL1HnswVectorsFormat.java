package io.multivector.codec.dense;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.tests.index.BaseKnnVectorsFormatTestCase;
import org.apache.lucene.tests.util.TestUtil;

/** Lucene's own vectors-format conformance suite, run on the L1 HNSW format (float vectors only). */
public class TestL1HnswVectorsFormat extends BaseKnnVectorsFormatTestCase {

    private final Codec codec = TestUtil.alwaysKnnVectorsFormat(new L1HnswVectorsFormat());

    @Override
    protected Codec getCodec() {
        return codec;
    }

    @Override
    protected boolean supportsFloatVectorFallback() {
        return false;
    }

    @Override
    protected VectorEncoding randomVectorEncoding() {
        return VectorEncoding.FLOAT32;
    }

    // The L1 format stores float vectors only (dense_vector int8 is Lucene's quantized format, and not with l1):
    // the suite's byte-vector tests are outside its contract.
    @Override
    public void testEmptyByteVectorData() {
        assumeTrue("the L1 format holds float vectors only", false);
    }

    @Override
    public void testByteVectorScorerIteration() {
        assumeTrue("the L1 format holds float vectors only", false);
    }

    @Override
    public void testMergingWithDifferentByteKnnFields() {
        assumeTrue("the L1 format holds float vectors only", false);
    }

    @Override
    public void testMismatchedFields() {
        assumeTrue("the L1 format holds float vectors only", false);
    }

    @Override
    public void testSortedIndexBytes() {
        assumeTrue("the L1 format holds float vectors only", false);
    }

    @Override
    public void testRandomBytes() {
        assumeTrue("the L1 format holds float vectors only", false);
    }

}
