package io.multivector.codec.multivector;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.tests.index.BaseDocValuesFormatTestCase;
import org.apache.lucene.tests.util.TestUtil;

/** Lucene's own doc-values conformance suite, run on the multi-vector format. */
public class TestMultiVectorDocValuesFormat extends BaseDocValuesFormatTestCase {

    private final Codec codec = TestUtil.alwaysDocValuesFormat(new MultiVectorDocValuesFormat());

    @Override
    protected Codec getCodec() {
        return codec;
    }
}
