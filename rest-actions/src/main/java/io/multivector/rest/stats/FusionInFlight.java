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

    /** requests in flight, window hits in flight, peak window hits, fusions run since the node started. */
    long[] snapshot() {
        return new long[] { requests.get(), windowHits.get(), peakWindowHits.get(), total.get() };
    }
}
