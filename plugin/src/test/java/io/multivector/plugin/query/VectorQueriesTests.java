package io.multivector.plugin.query;

import org.opensearch.test.OpenSearchTestCase;

public class VectorQueriesTests extends OpenSearchTestCase {

    public void testDefaultCandidatesGrowWithTheShardWithinTheirBounds() {
        assertEquals("a small shard: max(1000, 10k)", 1000, VectorQueries.defaultCandidates(10, 5_000));
        assertEquals("a large k", 2000, VectorQueries.defaultCandidates(200, 5_000));
        assertEquals("40k documents: 2.5% = 1000", 1000, VectorQueries.defaultCandidates(10, 40_000));
        assertEquals("90k documents: 2.5%", 2244, VectorQueries.defaultCandidates(10, 89_772));
        assertEquals("capped", VectorQueries.MAX_CANDIDATES, VectorQueries.defaultCandidates(10, 5_000_000));
        assertEquals("k at its cap", VectorQueries.MAX_CANDIDATES, VectorQueries.defaultCandidates(10_000, 0));
    }
}
