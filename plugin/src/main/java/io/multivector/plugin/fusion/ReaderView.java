package io.multivector.plugin.fusion;

import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentReader;
import org.opensearch.common.lucene.Lucene;

/**
 * Names what a shard's reader shows, so that Lucene doc ids taken from one search can be used by another: two readers
 * with the same segments (by their unique ids), in the same order, with the same number of live documents each,
 * number every document alike. Segments never change and deletions only grow, so equal live counts mean equal live
 * documents. Copies of a shard have different segment ids (unless segment replication copied the very segments,
 * which then number alike too), so a view also tells the copies apart.
 */
final class ReaderView {

    /** What a reader gets when its leaves are not segments: no view, never equal to one. */
    static final long NONE = 0;

    private ReaderView() {}

    static long of(IndexReader reader) {
        long hash = 0xcbf29ce484222325L; // FNV-1a, 64 bits
        for (LeafReaderContext leaf : reader.leaves()) {
            SegmentReader segment;
            try {
                segment = Lucene.segmentReader(leaf.reader());
            } catch (IllegalStateException e) {
                return NONE;
            }
            for (byte b : segment.getSegmentInfo().info.getId()) {
                hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
            }
            hash = (hash ^ leaf.reader().maxDoc()) * 0x100000001b3L;
            hash = (hash ^ leaf.reader().numDocs()) * 0x100000001b3L;
        }
        return hash == NONE ? 1 : hash;
    }
}
