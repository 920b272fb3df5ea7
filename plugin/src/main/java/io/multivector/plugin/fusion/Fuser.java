package io.multivector.plugin.fusion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Fuses global ranked lists into one, on the coordinating node: the same input gives the same list on any cluster. */
final class Fuser {

    private Fuser() {}

    /** The fused list, best first, cut to the options' window, ties ordered (best rank, then {@link #compareRanks}) and made strict by {@link #strictlyDecreasing}. */
    static List<FusedHit> fuse(List<RankedList> lists, FusionOptions options) {
        FusionMethod method = options.fusionMethod();
        int n = lists.size();
        Map<RankedList.Doc, double[]> sums = new HashMap<>();
        Map<RankedList.Doc, FusedHit> hits = new HashMap<>();
        for (int i = 0; i < n; i++) {
            RankedList list = lists.get(i);
            double[] contributions = method.contributions(list.scores(), options);
            double weight = options.weight(i);
            for (int position = 0; position < list.hits().size(); position++) {
                RankedList.Hit hit = list.hits().get(position);
                FusedHit fused = hits.computeIfAbsent(hit.doc(), doc -> new FusedHit(doc, 0, false, 0, 0, new int[n], new float[n], new float[n]));
                if (fused.ranks()[i] != 0) {
                    continue; // a document twice in one list (two copies of one index alias) counts at its best rank
                }
                fused.ranks()[i] = position + 1;
                fused.raw()[i] = hit.score();
                fused.contributions()[i] = (float) (weight * contributions[position]);
                sums.computeIfAbsent(hit.doc(), doc -> new double[1])[0] += weight * contributions[position];
            }
        }
        List<FusedHit> ordered = new ArrayList<>(hits.values());
        Comparator<FusedHit> bySum = Comparator.comparingDouble(hit -> -sums.get(hit.doc())[0]);
        ordered.sort(bySum.thenComparingInt(FusedHit::bestRank).thenComparing(Fuser::compareRanks).thenComparing(FusedHit::doc, RankedList.Doc.ORDER));
        List<FusedHit> window = ordered.subList(0, Math.min(ordered.size(), options.windowSize()));
        List<FusedHit> result = new ArrayList<>(window.size());
        for (int i = 0; i < window.size(); i++) {
            FusedHit hit = window.get(i);
            float score = (float) sums.get(hit.doc())[0];
            result.add(new FusedHit(hit.doc(), score, false, score, i + 1, hit.ranks(), hit.raw(), hit.contributions()));
        }
        return strictlyDecreasing(result);
    }

    /**
     * Equal sums and best ranks: the better rank in the first subquery where they differ (absent counts as last). Two
     * documents never hold the same place in one list, so this orders any two documents without reading their ids.
     */
    private static int compareRanks(FusedHit a, FusedHit b) {
        for (int i = 0; i < a.ranks().length; i++) {
            int byRank = Integer.compareUnsigned(a.ranks()[i] - 1, b.ranks()[i] - 1); // 0 (absent) wraps around to last
            if (byRank != 0) {
                return byRank;
            }
        }
        return 0;
    }

    /**
     * Reorders the fused top by the rerank query's scores ({@code rerankOrder}: the rerank search's hits, best
     * first); fused documents the rerank query did not match are left out.
     */
    static List<FusedHit> rerank(List<FusedHit> fused, List<RankedList.Hit> rerankOrder) {
        Map<RankedList.Doc, FusedHit> byDoc = new HashMap<>();
        for (FusedHit hit : fused) {
            byDoc.put(hit.doc(), hit);
        }
        List<FusedHit> result = new ArrayList<>(rerankOrder.size());
        for (RankedList.Hit hit : rerankOrder) {
            FusedHit original = byDoc.remove(hit.doc());
            if (original != null) {
                result.add(original.rescored(hit.score()));
            }
        }
        return strictlyDecreasing(result);
    }

    /**
     * Equal scores would be ordered by shard and Lucene doc id, which differ between one shard and three: a hit whose
     * score is not above its successor's gets the next float above it (from the end of the list, so scores stay
     * non-negative), and the list's order is the order of its scores on any cluster.
     */
    static List<FusedHit> strictlyDecreasing(List<FusedHit> hits) {
        FusedHit[] result = hits.toArray(new FusedHit[0]);
        for (int i = result.length - 2; i >= 0; i--) {
            if (result[i].score() <= result[i + 1].score()) {
                result[i] = result[i].withScore(Math.nextUp(result[i + 1].score()));
            }
        }
        return List.of(result);
    }
}
