package io.multivector.plugin.fusion;

import org.opensearch.test.OpenSearchTestCase;

import java.util.List;

/** The fusion arithmetic and its edge cases, on lists made by hand (the YAML suite checks the same through a node). */
public class FuserTests extends OpenSearchTestCase {

    private static RankedList list(String name, Object... idsAndScores) {
        List<RankedList.Hit> hits = new java.util.ArrayList<>();
        for (int i = 0; i < idsAndScores.length; i += 2) {
            hits.add(new RankedList.Hit(RankedList.Doc.byId("i", (String) idsAndScores[i]), ((Number) idsAndScores[i + 1]).floatValue()));
        }
        return new RankedList(name, hits);
    }

    private static FusionOptions options(String method, String normalization, List<Double> weights, int window) {
        return new FusionOptions(method, null, normalization, weights, window).resolve(FusionOptions.NONE, 2);
    }

    private static List<String> ids(List<FusedHit> hits) {
        return hits.stream().map(hit -> hit.doc().id()).toList();
    }

    public void testEqualScoresAreOrderedByBestRankThenByRanksInSubqueryOrderAndMadeStrict() {
        List<FusedHit> fused = Fuser.fuse(List.of(list("a", "y", 3, "x", 2), list("b", "x", 3, "y", 2)), options("rrf", null, null, 10));
        assertEquals("y is first in the first subquery", List.of("y", "x"), ids(fused));
        assertEquals(Math.nextUp(fused.get(1).score()), fused.get(0).score(), 0f);
        assertEquals(1.0 / 61 + 1.0 / 62, fused.get(1).score(), 1e-7);
        // only in one list each, at the same rank: the one of the first subquery wins, whatever the ids
        fused = Fuser.fuse(List.of(list("a", "p", 9, "b", 5), list("b", "q", 9, "a", 5)), options("rrf", null, null, 10));
        assertEquals(List.of("p", "q", "b", "a"), ids(fused));
    }

    public void testWindowCutsTheFusedList() {
        List<FusedHit> fused = Fuser.fuse(List.of(list("a", "x", 3, "y", 2, "z", 1), list("b")), options("rrf", null, null, 2));
        assertEquals(List.of("x", "y"), ids(fused));
        assertEquals(0, fused.get(0).ranks()[1]);
    }

    public void testOneHitAndEqualScores() {
        assertEquals(0.5f, Fuser.fuse(List.of(list("a", "x", 7), list("b")), options("dbsf", null, null, 10)).get(0).score(), 0f);
        List<FusedHit> minMax = Fuser.fuse(List.of(list("a", "x", 2, "y", 2), list("b")), options("linear", "min_max", null, 10));
        assertEquals(1f, minMax.get(1).score(), 0f);
        List<FusedHit> z = Fuser.fuse(List.of(list("a", "x", 3, "y", 2, "z", 1), list("b")), options("linear", "z_score", null, 10));
        assertEquals(1f, z.get(0).score(), 1e-6f); // (3 - 2) / 1
        assertEquals(0f, z.get(2).score(), 0f);    // below the mean: floored at 0, never negative
        assertTrue(z.get(1).score() > z.get(2).score());
    }

    public void testWeightsScaleEachListsContribution() {
        List<FusedHit> fused = Fuser.fuse(List.of(list("a", "x", 1), list("b", "y", 1)), options("rrf", null, List.of(0.0, 3.0), 10));
        assertEquals(List.of("y", "x"), ids(fused));
        assertEquals(3.0 / 61, fused.get(0).score(), 1e-7);
        assertEquals(0f, fused.get(1).contributions()[0], 0f);
    }

    public void testRerankKeepsTheWindowInTheRerankOrderAndDropsWhatItDidNotMatch() {
        List<FusedHit> fused = Fuser.fuse(List.of(list("a", "x", 3, "y", 2, "z", 1), list("b")), options("rrf", null, null, 10));
        List<FusedHit> reranked = Fuser.rerank(fused, list("r", "z", 9, "x", 4).hits());
        assertEquals(List.of("z", "x"), ids(reranked));
        assertTrue(reranked.get(0).reranked());
        assertEquals(3, reranked.get(0).fusedRank());
        assertEquals(9f, reranked.get(0).score(), 0f);
    }

    public void testOptionsAreCheckedAgainstTheSubqueries() {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class,
            () -> new FusionOptions(null, null, null, List.of(1.0), null).resolve(FusionOptions.NONE, 2));
        assertEquals("[fusion] has 2 [queries] but 1 [weights]: give one weight per subquery", e.getMessage());
        expectThrows(IllegalArgumentException.class, () -> new FusionOptions(null, 0, null, null, null));
        expectThrows(IllegalArgumentException.class, () -> new FusionOptions(null, null, "max", null, null));
        FusionOptions merged = new FusionOptions(null, 5, null, null, null).resolve(new FusionOptions("dbsf", 9, null, null, 7), 2);
        assertEquals("dbsf", merged.method());
        assertEquals(Integer.valueOf(5), merged.rankConstant());
        assertEquals(Integer.valueOf(7), merged.windowSize());
    }
}
