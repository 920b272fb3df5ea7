package io.multivector.codec.multivector;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.tests.index.BaseDocValuesFormatTestCase;
import org.apache.lucene.tests.util.TestUtil;

/** Lucene's own doc-values conformance suite, run on the multi-vector format (binary fields in its own layout). */
public class TestMultiVectorDocValuesFormat extends BaseDocValuesFormatTestCase {

    private final Codec codec = TestUtil.alwaysDocValuesFormat(new MultiVector11DocValuesFormat());

    @Override
    protected Codec getCodec() {
        return codec;
    }
}
