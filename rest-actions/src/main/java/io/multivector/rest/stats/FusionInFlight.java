package io.multivector.rest.stats;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Fusion requests running in this node (it coordinates them) and the hits their subquery lists may hold until fused:
 * window_size x subqueries, the figure the memory budget plugins.multivector.fusion.max_window_hits bounds. One per node.
 */
public final class FusionInFlight {
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong windowHits = new AtomicLong();
    private final AtomicLong peakWindowHits = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong byReference = new AtomicLong();
    private final AtomicLong ranAgain = new AtomicLong();
    private final AtomicLong oneSearch = new AtomicLong();

    public void start(long hits) {
        requests.incrementAndGet();
        total.incrementAndGet();
        long now = windowHits.addAndGet(hits);
        peakWindowHits.accumulateAndGet(now, Math::max);
    }

    public void end(long hits) {
        requests.decrementAndGet();
        windowHits.addAndGet(-hits);
    }

    /** A fusion's list named its documents by reference (Lucene doc ids in one reader view), not by _id. */
    public void byReference() {
        byReference.incrementAndGet();
    }

    /** A fusion by reference met a changed reader view (a refresh with changes in between) and ran again. */
    public void ranAgain() {
        ranAgain.incrementAndGet();
    }

    /** A fusion ran as one search, its lists fused between the query and the fetch phase. */
    public void oneSearch() {
        oneSearch.incrementAndGet();
    }

    /** requests in flight, window hits in flight, peak window hits, fusions run, by reference, run again, in one search, since the node started. */
    public long[] snapshot() {
        return new long[] { requests.get(), windowHits.get(), peakWindowHits.get(), total.get(), byReference.get(), ranAgain.get(),
            oneSearch.get() };
    }
}
