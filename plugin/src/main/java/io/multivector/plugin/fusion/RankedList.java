package io.multivector.plugin.fusion;

import java.util.Comparator;
import java.util.List;

/**
 * One subquery's global result list, best first: what a full distributed search of {@code window_size} hits
 * returned (or what a nested {@code fusion} fused), and nothing per shard.
 */
record RankedList(String name, List<Hit> hits) {

    /**
     * A document of the cluster: by concrete index and {@code _id} (as the fetch phase names it), or by reference,
     * where one view of a shard's reader holds it ({@link ReaderView}); a reference's {@code id} is null.
     */
    record Doc(String index, String id, int shard, int luceneDoc, long view) {

        static Doc byId(String index, String id) {
            return new Doc(index, id, -1, -1, ReaderView.NONE);
        }

        static Doc byRef(String index, int shard, int luceneDoc, long view) {
            return new Doc(index, null, shard, luceneDoc, view);
        }

        boolean isRef() {
            return id == null;
        }

        /** By index, then {@code _id} where both have one, else by where the shard holds them (only for documents never tied). */
        static final Comparator<Doc> ORDER = Comparator.comparing(Doc::index)
            .thenComparing(Doc::id, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparingInt(Doc::shard).thenComparingInt(Doc::luceneDoc);
    }

    record Hit(Doc doc, float score) {}

    float[] scores() {
        float[] scores = new float[hits.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = hits.get(i).score();
        }
        return scores;
    }
}
