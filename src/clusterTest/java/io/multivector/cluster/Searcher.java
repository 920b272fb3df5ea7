package io.multivector.cluster;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/** Searches (MaxSim, dense, fusion in turn) against a random node that is up, until stopped; counts the outcomes. */
final class Searcher implements Runnable {
    final AtomicInteger ok = new AtomicInteger();
    final AtomicInteger partial = new AtomicInteger(); // answered, but some shard had no live copy
    final AtomicInteger refused = new AtomicInteger(); // no connection: the node was down, or died under the request
    final AtomicInteger failed = new AtomicInteger(); // an HTTP error status
    final java.util.Set<String> errors = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final String index;
    private final IntSupplier livePort;
    private volatile boolean stop;

    Searcher(String index, IntSupplier livePort) {
        this.index = index;
        this.livePort = livePort;
    }

    void stop() {
        stop = true;
    }

    @Override
    public void run() {
        List<Map<String, Object>> searches = List.copyOf(Probe.searches("a dog in the garden", 1000).values());
        for (int i = 0; stop == false; i++) {
            try {
                Map<String, Object> response = Rest.call(livePort.getAsInt(), "POST", "/" + index + "/_search", searches.get(i % searches.size()));
                if (((Number) Rest.at(response, "_shards.failed")).intValue() > 0) {
                    partial.incrementAndGet();
                } else {
                    ok.incrementAndGet();
                }
            } catch (Rest.Status e) {
                failed.incrementAndGet();
                if (errors.size() < 5) {
                    errors.add(e.getMessage().length() > 300 ? e.getMessage().substring(0, 300) : e.getMessage());
                }
            } catch (IOException e) {
                refused.incrementAndGet();
            }
            try {
                Thread.sleep(50 + ThreadLocalRandom.current().nextInt(100));
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
