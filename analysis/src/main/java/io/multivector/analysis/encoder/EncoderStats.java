package io.multivector.analysis.encoder;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of one model in one node: inferences (batches), inputs encoded, latency per batch. */
public final class EncoderStats {

    private static final int WINDOW = 1024;

    private final AtomicLong inferences = new AtomicLong();
    private final AtomicLong documents = new AtomicLong();
    private final AtomicLong totalNanos = new AtomicLong();
    private final long[] recentNanos = new long[WINDOW];

    void record(int inputs, long nanos) {
        long n = inferences.getAndIncrement();
        documents.addAndGet(inputs);
        totalNanos.addAndGet(nanos);
        synchronized (recentNanos) {
            recentNanos[(int) (n % WINDOW)] = nanos;
        }
    }

    public long inferences() {
        return inferences.get();
    }

    public long documents() {
        return documents.get();
    }

    public double meanMillis() {
        long n = inferences.get();
        return n == 0 ? 0 : totalNanos.get() / 1e6 / n;
    }

    /** 99th percentile of the last 1024 batches. */
    public double p99Millis() {
        long[] copy;
        int n = (int) Math.min(inferences.get(), WINDOW);
        synchronized (recentNanos) {
            copy = Arrays.copyOf(recentNanos, n);
        }
        if (n == 0) {
            return 0;
        }
        Arrays.sort(copy);
        return copy[Math.min(n - 1, (int) Math.ceil(0.99 * n) - 1)] / 1e6;
    }
}
