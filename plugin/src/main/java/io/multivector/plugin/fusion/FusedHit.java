package io.multivector.plugin.fusion;

/**
 * One document of a fused list. {@code score} is what the hit gets: the fused score, or the rerank score when
 * the fused top was reranked ({@code fusedScore} and {@code fusedRank} keep what fusion gave). Per subquery:
 * the 1-based rank in its list (0 when absent), its raw score there, and its weighted contribution.
 */
record FusedHit(RankedList.Doc doc, float score, boolean reranked, float fusedScore, int fusedRank, int[] ranks, float[] raw,
                float[] contributions) {

    FusedHit rescored(float newScore) {
        return new FusedHit(doc, newScore, true, fusedScore, fusedRank, ranks, raw, contributions);
    }

    FusedHit withScore(float newScore) {
        return new FusedHit(doc, newScore, reranked, reranked ? fusedScore : newScore, fusedRank, ranks, raw, contributions);
    }

    int bestRank() {
        int best = Integer.MAX_VALUE;
        for (int rank : ranks) {
            if (rank > 0) {
                best = Math.min(best, rank);
            }
        }
        return best;
    }
}
