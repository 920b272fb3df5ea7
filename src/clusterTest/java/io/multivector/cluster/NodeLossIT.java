package io.multivector.cluster;

import org.junit.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/**
 * Real nodes started by scripts/cluster.sh, killed on purpose: a 3-node cluster takes documents through the
 * multivector_embed pipeline (dense, int8 token matrix, text; 3 shards, 1 replica) while a node is SIGKILLed by PID
 * again and again (first the node holding a primary; last one during a force-merge) and started again. Then nothing
 * acknowledged may be missing, every document must have its vectors, and searches must equal those of the same
 * documents in a 1-shard index. Then the whole cluster is stopped and started, and finally snapshotted and restored
 * into a fresh cluster. Sizes: -Dfault.docs (at least; ingest goes on at -Dfault.rate documents a second until the
 * kills are over), -Dfault.kills (>= 2), -Dfault.seed.
 */
public class NodeLossIT {
    private static final Duration GREEN = Duration.ofSeconds(Launcher.GREEN_SECONDS);
    private static final String CHAOS = "chaos";
    private static final String REF = "ref";

    private final int docs = Integer.getInteger("fault.docs", 100);
    private final int kills = Math.max(2, Integer.getInteger("fault.kills", 3));
    private final long seed = Long.getLong("fault.seed", 15);
    private final int batch = Integer.getInteger("fault.rate", 4); // documents per bulk, one bulk a second
    private final Path dir = Path.of(System.getProperty("fault.dir", "target/fault-cluster"));
    private final int basePort = Integer.getInteger("fault.port", 9250);
    private final Corpus corpus = new Corpus(seed);
    private final Random random = new Random(seed);
    private final Set<Integer> down = ConcurrentHashMap.newKeySet();
    private final Report report = new Report();

    @Test
    public void nodeLossRestartAndSnapshot() throws Exception {
        try (Launcher a = new Launcher(dir.resolve("a"), basePort + 3, 3); Launcher b = new Launcher(dir.resolve("b"), basePort + 6, 1)) {
            long start = System.nanoTime();
            a.start("--models", System.getProperty("fault.models"));
            report.line("3-node cluster started in %.0f s", seconds(start));
            setUp(a);
            Set<String> acknowledged = killDuringIngest(a);
            Map<String, List<Probe.Hit>> results = verify(a, acknowledged);

            long restart = System.nanoTime();
            a.stop();
            a.resume();
            report.line("whole-cluster restart (stop all, start all) to green: %.0f s", seconds(restart));
            assertEquals(acknowledged.size(), count(a.port, CHAOS));
            assertSame("after the whole-cluster restart", results, Probe.run(a.port(1), CHAOS, docs));
            checkRegisteredModel(a);

            snapshotAndRestore(a, b, results);
        } finally {
            report.print(Path.of(System.getProperty("fault.results", "target/fault-results.md")));
        }
    }

    private void setUp(Launcher a) throws IOException {
        Rest.call(a.port, "PUT", "/_plugins/_multivector/models/reg-minilm", Map.of("kind", "text_dense",
            "model_file", "minilm/all-minilm-l6-v2-q.onnx", "tokenizer_file", "minilm/all-minilm-l6-v2-q-tokenizer.json",
            "dims", 384, "pooling", "mean", "max_tokens", 128));
        Rest.call(a.port, "PUT", "/_ingest/pipeline/embed", Map.of("processors", List.of(Map.of("multivector_embed",
            Map.of("field_map", Map.of("body", Map.of("dense", "minilm", "tokens", "minilm-tokens")))))));
        createIndex(a.port, CHAOS, 3, 1);
    }

    private static void createIndex(int port, String index, int shards, int replicas) throws IOException {
        Rest.call(port, "PUT", "/" + index, Map.of(
            "settings", Map.of("index.multivector", true, "index.default_pipeline", "embed",
                "number_of_shards", shards, "number_of_replicas", replicas),
            "mappings", Map.of("properties", Map.of(
                "body", Map.of("type", "text"),
                "dense", Map.of("type", "dense_vector", "dims", 384, "similarity", "cosine", "model", "minilm"),
                "tokens", Map.of("type", "multi_vector", "dims", 384, "element_type", "int8", "model", "minilm-tokens")))));
    }

    /** Kills during ingest (and searches), the last one during a force-merge; returns the acknowledged ids. */
    private Set<String> killDuringIngest(Launcher a) throws Exception {
        Ingester ingester = new Ingester(corpus, CHAOS, docs, batch, () -> livePort(a));
        Searcher searcher = new Searcher(CHAOS, () -> livePort(a));
        Thread ingest = new Thread(ingester, "ingest");
        Thread search = new Thread(searcher, "search");
        ingest.start();
        search.start();
        try {
            for (int kill = 0; kill < kills - 1; kill++) {
                int before = ingester.acknowledged.size(); // let some documents through between kills
                while (ingester.acknowledged.size() < before + Math.max(20, docs / (2 * kills)) && ingest.isAlive()) {
                    Thread.sleep(100);
                }
                int node = kill == 0 ? primaryHolder(a) : random.nextInt(a.nodes);
                killAndRestart(a, node, (kill == 0 ? "holds primary " + primaryOf(a, node) : "random") + ", during ingest + search",
                    ingester.acknowledged.size());
            }
            ingester.stop();
            ingest.join(Duration.ofMinutes(10).toMillis());
        } finally {
            ingester.stop();
            searcher.stop();
            search.join();
        }
        assertNull("ingest failed: " + ingester.failure(), ingester.failure());
        report.line("ingest: %d documents sent, %d acknowledged; %d bulk requests sent again (node down), %d items sent again (shard not available)",
            ingester.sent(), ingester.acknowledged.size(), ingester.connectionErrors.get(), ingester.itemRetries.get());
        report.line("searches during the kills: %d answered, %d answered with a shard missing, %d not connected (node down), %d errors %s",
            searcher.ok.get(), searcher.partial.get(), searcher.refused.get(), searcher.failed.get(), searcher.errors);

        Rest.call(a.port, "POST", "/" + CHAOS + "/_refresh", null);
        int segments = segments(a.port, CHAOS);
        Map<String, Object> merge = Rest.call(a.port, "POST", "/" + CHAOS + "/_forcemerge?max_num_segments=1&wait_for_completion=false", null);
        Thread.sleep(200);
        boolean running = mergeRunning(a.port);
        int node = primaryHolder(a);
        killAndRestart(a, node, "holds primary " + primaryOf(a, node) + ", during force-merge of " + segments + " segments (task "
            + merge.get("task") + (running ? " running" : " already done") + " at the kill)", ingester.acknowledged.size());
        Rest.call(a.port, "POST", "/" + CHAOS + "/_forcemerge?max_num_segments=1", null, Duration.ofMinutes(10));
        return new TreeSet<>(ingester.acknowledged);
    }

    private void killAndRestart(Launcher a, int node, String why, int acknowledged) throws Exception {
        long kill = System.nanoTime();
        down.add(node);
        a.kill(node);
        Thread.sleep(2000); // the cluster notices and promotes replicas while writes go on
        long restart = System.nanoTime();
        a.startNode(node);
        a.waitUp(node, GREEN);
        down.remove(node); // clients may use it again once it answers
        a.waitGreen(GREEN);
        report.kill(node, why, acknowledged, seconds(kill), seconds(restart));
    }

    /** Counts, vectors of every document, and the searches against a 1-shard index of the same documents. */
    private Map<String, List<Probe.Hit>> verify(Launcher a, Set<String> acknowledged) throws IOException {
        Rest.call(a.port, "POST", "/" + CHAOS + "/_refresh", null);
        Set<String> found = ids(a.port, CHAOS);
        assertTrue("the suite reads ids in one page of 10,000", found.size() < 10_000);
        Set<String> lost = new TreeSet<>(acknowledged);
        lost.removeAll(found);
        report.totals(acknowledged.size(), found.size(), lost.size());
        assertTrue("acknowledged but lost: " + lost, lost.isEmpty());
        assertEquals("every document has a dense vector", found.size(), exists(a.port, CHAOS, "dense"));
        assertEquals("every document has a token matrix", found.size(), exists(a.port, CHAOS, "tokens"));

        // the same documents (every one found, acknowledged or not), in one shard on one node
        createIndex(a.port, REF, 1, 0);
        List<String> ids = new ArrayList<>(found);
        for (int i = 0; i < ids.size(); i += 50) {
            StringBuilder bulk = new StringBuilder();
            for (String id : ids.subList(i, Math.min(ids.size(), i + 50))) {
                bulk.append("{\"index\":{\"_id\":\"").append(id).append("\"}}\n")
                    .append(Rest.JSON.writeValueAsString(Map.of("body", corpus.text(Integer.parseInt(id.substring(1)))))).append('\n');
            }
            Map<String, Object> response = Rest.call(a.port, "POST", "/" + REF + "/_bulk", bulk.toString());
            assertEquals(Boolean.FALSE, response.get("errors"));
        }
        Rest.call(a.port, "POST", "/" + REF + "/_forcemerge?max_num_segments=1", null, Duration.ofMinutes(10));
        Rest.call(a.port, "POST", "/" + REF + "/_refresh", null);
        int vectors = Vectors.compare(a.port, CHAOS, REF, ids);
        report.line("vectors: all %d documents have a 384-dim dense vector and a token matrix (%d token vectors in all), equal to the 1-shard index's",
            ids.size(), vectors);
        Map<String, List<Probe.Hit>> expected = Probe.run(a.port, REF, found.size());
        Map<String, List<Probe.Hit>> actual = Probe.run(a.port(2), CHAOS, found.size());
        assertSame("3 shards after the kills against 1 shard", expected, actual);
        report.line("searches: %d (MaxSim, dense, fusion x %d texts) equal to the 1-shard index's: same ids, same scores",
            expected.size(), Probe.QUERIES.length);
        return actual;
    }

    private void checkRegisteredModel(Launcher a) throws IOException {
        Map<String, Object> model = Rest.call(a.port, "GET", "/_plugins/_multivector/models/reg-minilm", null);
        assertEquals(Boolean.FALSE, Rest.at(model, "models.reg-minilm.built_in"));
        Map<String, Object> request = Map.of("texts", List.of("a cat near the river"));
        List<Number> builtIn = Rest.at(Rest.call(a.port, "POST", "/_plugins/_multivector/_encode", with(request, "model", "minilm")), "vectors.0");
        for (int node = 0; node < a.nodes; node++) { // every node loads it from its own config directory
            List<Number> registered = Rest.at(Rest.call(a.port(node), "POST", "/_plugins/_multivector/_encode", with(request, "model", "reg-minilm")), "vectors.0");
            assertEquals(384, registered.size());
            for (int i = 0; i < 384; i++) {
                assertEquals(builtIn.get(i).doubleValue(), registered.get(i).doubleValue(), 1e-6);
            }
        }
        report.line("registered model reg-minilm: still registered after the restart, loads and encodes on all %d nodes", a.nodes);
    }

    private void snapshotAndRestore(Launcher a, Launcher b, Map<String, List<Probe.Hit>> results) throws IOException, InterruptedException {
        Rest.call(a.port, "PUT", "/_snapshot/faults", Map.of("type", "fs", "settings", Map.of("location", "faults")));
        Map<String, Object> snapshot = Rest.call(a.port, "PUT", "/_snapshot/faults/s1?wait_for_completion=true",
            Map.of("indices", CHAOS + "," + REF), Duration.ofMinutes(10));
        assertEquals("SUCCESS", Rest.at(snapshot, "snapshot.state"));
        assertEquals(0, ((Number) Rest.at(snapshot, "snapshot.shards.failed")).intValue());
        long start = System.nanoTime();
        b.start("--repo", a.dir.resolve("snapshots").toRealPath().toString());
        Rest.call(b.port, "PUT", "/_snapshot/faults", Map.of("type", "fs", "settings", Map.of("location", "faults", "readonly", true)));
        Rest.call(b.port, "POST", "/_snapshot/faults/s1/_restore?wait_for_completion=true",
            Map.of("indices", CHAOS + "," + REF, "index_settings", Map.of("index.number_of_replicas", 0)), Duration.ofMinutes(10));
        b.waitGreen(GREEN);
        assertEquals(count(a.port, CHAOS), count(b.port, CHAOS));
        assertEquals(count(a.port, REF), count(b.port, REF));
        assertSame("restored into a fresh 1-node cluster", results, Probe.run(b.port, CHAOS, count(b.port, CHAOS)));
        report.line("snapshot to fs, restored into a fresh 1-node cluster (started, restored, green in %.0f s): same counts, same %d searches' ids and scores",
            seconds(start), results.size());
    }

    private static void assertSame(String when, Map<String, List<Probe.Hit>> expected, Map<String, List<Probe.Hit>> actual) {
        List<String> differences = Probe.differences(expected, actual);
        assertTrue(when + ": " + differences, differences.isEmpty());
    }

    private int livePort(Launcher a) {
        List<Integer> up = new ArrayList<>();
        for (int node = 0; node < a.nodes; node++) {
            if (down.contains(node) == false) {
                up.add(node);
            }
        }
        return a.port(up.get(ThreadLocalRandom.current().nextInt(up.size())));
    }

    /** A node that holds a started primary of the index: the one whose loss promotes a replica. */
    private int primaryHolder(Launcher a) throws IOException {
        List<Integer> holders = new ArrayList<>(new TreeSet<>(primaries(a).values()));
        return holders.get(random.nextInt(holders.size()));
    }

    private String primaryOf(Launcher a, int node) throws IOException {
        Set<String> shards = new TreeSet<>();
        primaries(a).forEach((shard, holder) -> { if (holder == node) shards.add(shard); });
        return String.join(",", shards);
    }

    /** shard number -> node number of its primary. */
    @SuppressWarnings("unchecked")
    private Map<String, Integer> primaries(Launcher a) throws IOException {
        Map<String, Integer> out = new java.util.TreeMap<>();
        String json = Rest.JSON.writeValueAsString(Rest.call(livePort(a), "GET", "/_cluster/state/routing_table/" + CHAOS, null));
        Map<String, Object> state = Rest.JSON.readValue(json, Map.class);
        Map<String, Object> nodes = Rest.at(Rest.call(livePort(a), "GET", "/_nodes/_all/none", null), "nodes");
        Map<String, List<Map<String, Object>>> shards = Rest.at(state, "routing_table.indices." + CHAOS + ".shards");
        for (Map.Entry<String, List<Map<String, Object>>> shard : shards.entrySet()) {
            for (Map<String, Object> copy : shard.getValue()) {
                if (Boolean.TRUE.equals(copy.get("primary")) && "STARTED".equals(copy.get("state"))) {
                    String name = (String) Rest.at(nodes, copy.get("node") + ".name");
                    out.put(shard.getKey(), Integer.parseInt(name.substring("node-".length())));
                }
            }
        }
        return out;
    }

    private static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
        Map<String, Object> out = new java.util.HashMap<>(map);
        out.put(key, value);
        return out;
    }

    private static int count(int port, String index) throws IOException {
        return ((Number) Rest.call(port, "GET", "/" + index + "/_count", null).get("count")).intValue();
    }

    private static int exists(int port, String index, String field) throws IOException {
        return ((Number) Rest.call(port, "POST", "/" + index + "/_count", Map.of("query", Map.of("exists", Map.of("field", field)))).get("count")).intValue();
    }

    private static Set<String> ids(int port, String index) throws IOException {
        Map<String, Object> response = Rest.call(port, "POST", "/" + index + "/_search",
            Map.of("size", 10_000, "_source", false, "query", Map.of("match_all", Map.of())));
        Set<String> ids = new HashSet<>();
        for (Probe.Hit hit : Probe.hits(response)) {
            ids.add(hit.id());
        }
        return ids;
    }

    private static int segments(int port, String index) throws IOException {
        Map<String, Object> stats = Rest.call(port, "GET", "/" + index + "/_stats/segments", null);
        return ((Number) Rest.at(stats, "_all.total.segments.count")).intValue();
    }

    private static boolean mergeRunning(int port) throws IOException {
        Map<String, Object> tasks = Rest.call(port, "GET", "/_tasks?actions=indices:admin/forcemerge*", null);
        Map<String, Map<String, Object>> nodes = Rest.at(tasks, "nodes");
        return nodes.values().stream().anyMatch(n -> ((Map<?, ?>) n.get("tasks")).isEmpty() == false);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
