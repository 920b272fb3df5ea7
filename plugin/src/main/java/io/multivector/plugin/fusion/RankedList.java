package io.multivector.plugin.fusion;

import java.util.List;

/**
 * One subquery's global result list, best first: what a full distributed search of {@code window_size} hits
 * returned (or what a nested {@code fusion} fused), and nothing per shard.
 */
record RankedList(String name, List<Hit> hits) {

    /** A document of the cluster, named as the fetch phase names it: concrete index and {@code _id}. */
    record Doc(String index, String id) implements Comparable<Doc> {
        @Override
        public int compareTo(Doc other) {
            int byIndex = index.compareTo(other.index);
            return byIndex != 0 ? byIndex : id.compareTo(other.id);
        }
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
