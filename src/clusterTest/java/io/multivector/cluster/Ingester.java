package io.multivector.cluster;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Bulk-ingests documents 0, 1, 2... (at least count of them, and more until stopped; one bulk a second, so the number
 * of documents stays small however long a node takes to come back) as a client would while nodes die: each bulk goes to a random node that is up,
 * a connection error or a failed item is sent again (same id) until it is acknowledged. Acknowledged = the bulk
 * item answered 200/201.
 */
final class Ingester implements Runnable {
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final AtomicInteger connectionErrors = new AtomicInteger();
    final AtomicInteger itemRetries = new AtomicInteger();
    private final Corpus corpus;
    private final String index;
    private final int count;
    private final int batch;
    private final IntSupplier livePort;
    private volatile Throwable failure;
    private volatile boolean stop;
    private volatile int sent;

    Ingester(Corpus corpus, String index, int count, int batch, IntSupplier livePort) {
        this.corpus = corpus;
        this.index = index;
        this.count = count;
        this.batch = batch;
        this.livePort = livePort;
    }

    @Override
    public void run() {
        try {
            Deque<Integer> again = new ArrayDeque<>();
            int next = 0;
            while (again.isEmpty() == false || next < count || stop == false) {
                List<Integer> docs = new ArrayList<>();
                while (docs.size() < batch && again.isEmpty() == false) {
                    docs.add(again.poll());
                }
                while (docs.size() < batch && (next < count || stop == false)) {
                    docs.add(next++);
                }
                sent = next;
                long start = System.nanoTime();
                for (int n : send(docs)) {
                    again.add(n);
                }
                Thread.sleep(Math.max(0, 1000 - (System.nanoTime() - start) / 1_000_000));
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Ends after the first count documents and those sent so far are acknowledged. */
    void stop() {
        stop = true;
    }

    /** How many distinct documents were sent (acknowledged or not). */
    int sent() {
        return sent;
    }

    Throwable failure() {
        return failure;
    }

    /** Returns the documents to send again. */
    private List<Integer> send(List<Integer> docs) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        for (int n : docs) {
            body.append("{\"index\":{\"_id\":\"").append(Corpus.id(n)).append("\"}}\n")
                .append(Rest.JSON.writeValueAsString(Map.of("body", corpus.text(n)))).append('\n');
        }
        Map<String, Object> response;
        try {
            response = Rest.call(livePort.getAsInt(), "POST", "/" + index + "/_bulk?timeout=60s", body.toString());
        } catch (Rest.Status e) {
            if (e.status >= 500 || e.status == 429) {
                connectionErrors.incrementAndGet();
                Thread.sleep(200);
                return docs;
            }
            throw e;
        } catch (IOException e) { // the node died under the request, or is down: another node takes it
            connectionErrors.incrementAndGet();
            Thread.sleep(100 + ThreadLocalRandom.current().nextInt(200));
            return docs;
        }
        List<Map<String, Object>> items = Rest.at(response, "items");
        List<Integer> again = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            int status = ((Number) Rest.at(items.get(i), "index.status")).intValue();
            if (status == 200 || status == 201) {
                acknowledged.add(Corpus.id(docs.get(i)));
            } else if (status >= 500 || status == 429) { // a shard without a live copy for a moment
                itemRetries.incrementAndGet();
                again.add(docs.get(i));
            } else {
                throw new IllegalStateException("bulk item " + docs.get(i) + " failed with " + items.get(i));
            }
        }
        if (again.isEmpty() == false) {
            Thread.sleep(200);
        }
        return again;
    }
}
