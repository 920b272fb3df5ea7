package io.multivector.codec.multivector;

import org.apache.lucene.codecs.lucene90.IndexedDISI;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.MemorySegmentAccessInput;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.LongValues;

import java.io.IOException;

/**
 * A field's token matrices in {@link MultiVector11DocValuesFormat}: each document's matrix as a copy
 * ({@link #binaryValue}), or where it lies in the data file, so that MaxSim reads it in place ({@link #matrixStart},
 * {@link #matrixAddress}) instead of copying it first.
 */
final class MatrixDocValues extends BinaryDocValues {

    private final IndexInput matrices;
    private final LongValues addresses;
    private final int fixedLength;
    private final int maxDoc;
    /** Which documents have a matrix and the ord of each; null when every document has one. */
    private final IndexedDISI docs;
    private final BytesRef buffer;
    private int doc = -1;
    private long locatedOrd = -1;
    private long start;
    private int length;

    /** {@code matrices}: the field's matrices one after the other; {@code addresses}: where each starts, null when all have {@code minLength}. */
    MatrixDocValues(IndexInput matrices, LongValues addresses, int minLength, int maxLength, int maxDoc, IndexedDISI docs) {
        this.matrices = matrices;
        this.addresses = addresses;
        this.fixedLength = minLength == maxLength ? maxLength : -1;
        this.maxDoc = maxDoc;
        this.docs = docs;
        this.buffer = new BytesRef(new byte[maxLength], 0, maxLength);
    }

    @Override
    public int docID() {
        return docs == null ? doc : docs.docID();
    }

    @Override
    public int nextDoc() throws IOException {
        return docs == null ? advance(doc + 1) : docs.nextDoc();
    }

    @Override
    public int advance(int target) throws IOException {
        if (docs != null) {
            return docs.advance(target);
        }
        return doc = target >= maxDoc ? NO_MORE_DOCS : target;
    }

    @Override
    public boolean advanceExact(int target) throws IOException {
        if (docs != null) {
            return docs.advanceExact(target);
        }
        doc = target;
        return true;
    }

    @Override
    public long cost() {
        return docs == null ? maxDoc : docs.cost();
    }

    /** A copy of the current document's matrix, in a buffer reused for the next one. */
    @Override
    public BytesRef binaryValue() throws IOException {
        locate();
        matrices.seek(start);
        matrices.readBytes(buffer.bytes, 0, length);
        buffer.length = length;
        return buffer;
    }

    /** The field's matrices: a slice of the data file; callers may seek and read it. */
    IndexInput matrices() {
        return matrices;
    }

    /** Where the current document's matrix starts in {@link #matrices}. */
    long matrixStart() {
        locate();
        return start;
    }

    /** The current document's matrix's length in bytes. */
    int matrixLength() {
        locate();
        return length;
    }

    /**
     * The current document's matrix's address in memory where the data file is memory mapped (Lucene's
     * MMapDirectory), valid while the index is open; else 0. The native kernels read it there.
     */
    long matrixAddress() throws IOException {
        locate();
        if (matrices instanceof MemorySegmentAccessInput mapped) {
            // var: MemorySegment is a preview API in Java 21, which this module compiles for, so it is not named
            var segment = mapped.segmentSliceOrNull(start, length);
            if (segment != null) {
                return segment.address();
            }
        }
        return 0;
    }

    private void locate() {
        long ord = docs == null ? doc : docs.index();
        if (ord != locatedOrd) {
            start = addresses == null ? ord * fixedLength : addresses.get(ord);
            length = addresses == null ? fixedLength : (int) (addresses.get(ord + 1) - start);
            locatedOrd = ord;
        }
    }
}
