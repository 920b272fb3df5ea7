package io.multivector.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixed set of searches (exact MaxSim on the int8 token field, dense kNN, fusion of both with BM25), and the hits
 * each gives, to compare one index or cluster with another.
 */
final class Probe {
    record Hit(String id, double score) {}

    static final String[] QUERIES = { "a cat near the river", "bread and butter recipe in the kitchen", "storm over the ocean island" };

    private Probe() {}

    /** search name -> hits, for every query text. */
    static Map<String, List<Hit>> run(int port, String index, int docs) throws IOException {
        Map<String, List<Hit>> results = new LinkedHashMap<>();
        for (String text : QUERIES) {
            for (Map.Entry<String, Map<String, Object>> search : searches(text, docs).entrySet()) {
                String path = "/" + index + "/_search" + (search.getKey().startsWith("fusion") ? "?search_type=dfs_query_then_fetch" : "");
                results.put(search.getKey() + " '" + text + "'", hits(Rest.call(port, "POST", path, search.getValue())));
            }
        }
        return results;
    }

    /** name -> request body. */
    static Map<String, Map<String, Object>> searches(String text, int docs) {
        // num_candidates above the document count: the graph search visits every document, so kNN is exact and
        // comparable between 3 shards and 1
        int candidates = Math.min(10_000, docs + 100);
        Map<String, Object> tokens = Map.of("vector", Map.of("field", "tokens", "query_text", text, "k", 10));
        Map<String, Object> dense = Map.of("vector", Map.of("field", "dense", "query_text", text, "k", 10, "num_candidates", candidates));
        Map<String, Object> match = Map.of("match", Map.of("body", text));
        Map<String, Map<String, Object>> searches = new LinkedHashMap<>();
        searches.put("maxsim", Map.of("size", 10, "_source", false, "query", tokens));
        searches.put("dense", Map.of("size", 10, "_source", false, "query", dense));
        searches.put("fusion", Map.of("size", 10, "_source", false,
            "query", Map.of("fusion", Map.of("queries", List.of(match, dense, tokens), "method", "rrf", "window_size", 10))));
        return searches;
    }

    static List<Hit> hits(Map<String, Object> response) {
        List<Map<String, Object>> hits = Rest.at(response, "hits.hits");
        List<Hit> out = new ArrayList<>();
        for (Map<String, Object> hit : hits) {
            out.add(new Hit((String) hit.get("_id"), ((Number) hit.get("_score")).doubleValue()));
        }
        return out;
    }

    /**
     * Differences between two result sets: the same scores rank by rank (within float tolerance), the same ids, except
     * that documents of equal score may come in another order or, at the cut, be another document of that score.
     */
    static List<String> differences(Map<String, List<Hit>> expected, Map<String, List<Hit>> actual) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<Hit>> entry : expected.entrySet()) {
            List<Hit> want = entry.getValue();
            List<Hit> got = actual.get(entry.getKey());
            if (got == null || got.size() != want.size()) {
                out.add(entry.getKey() + ": " + want.size() + " hits expected, got " + got);
                continue;
            }
            if (want.isEmpty()) {
                out.add(entry.getKey() + ": no hits (a probe must find something)");
            }
            for (int i = 0; i < want.size(); i++) {
                Hit w = want.get(i);
                Hit g = got.get(i);
                if (same(w.score, g.score) == false) {
                    out.add(entry.getKey() + " rank " + i + ": score " + w.score + " expected, got " + g.score);
                } else if (w.id.equals(g.id) == false && tied(want, i) == false) {
                    out.add(entry.getKey() + " rank " + i + ": " + w.id + " expected, got " + g.id);
                }
            }
        }
        return out;
    }

    private static boolean tied(List<Hit> hits, int i) {
        return (i > 0 && same(hits.get(i - 1).score, hits.get(i).score))
            || (i + 1 < hits.size() && same(hits.get(i + 1).score, hits.get(i).score))
            || i == hits.size() - 1; // the last hit may tie with the first one left out
    }

    static boolean same(double a, double b) {
        return Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(a));
    }
}
