package io.multivector.cluster;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;

/** Every document's vectors, read back from two indices: present, of the right shape, and equal. */
final class Vectors {
    private Vectors() {}

    /** Returns the number of token vectors seen. */
    static int compare(int port, String index, String reference, List<String> ids) throws IOException {
        int tokens = 0;
        for (int i = 0; i < ids.size(); i += 25) {
            List<String> page = ids.subList(i, Math.min(ids.size(), i + 25));
            Map<String, Map<String, Object>> got = sources(port, index, page);
            Map<String, Map<String, Object>> want = sources(port, reference, page);
            for (String id : page) {
                Map<String, Object> source = got.get(id);
                assertNotNull(index + " has no document " + id, source);
                List<?> dense = (List<?>) source.get("dense");
                List<?> matrix = (List<?>) source.get("tokens");
                assertNotNull(id + " has no dense vector", dense);
                assertNotNull(id + " has no token matrix", matrix);
                assertEquals(id + " dense dims", 384, dense.size());
                assertFalse(id + " has an empty token matrix", matrix.isEmpty());
                for (Object vector : matrix) {
                    assertEquals(id + " token dims", 384, ((List<?>) vector).size());
                }
                assertEquals(id + ": vectors differ from the reference index's", want.get(id), source);
                tokens += matrix.size();
            }
        }
        return tokens;
    }

    private static Map<String, Map<String, Object>> sources(int port, String index, List<String> ids) throws IOException {
        Map<String, Object> response = Rest.call(port, "POST", "/" + index + "/_search", Map.of("size", ids.size(),
            "query", Map.of("ids", Map.of("values", ids)), "_source", Map.of("includes", List.of("dense", "tokens"))));
        Map<String, Map<String, Object>> out = new HashMap<>();
        List<Map<String, Object>> hits = Rest.at(response, "hits.hits");
        for (Map<String, Object> hit : hits) {
            @SuppressWarnings("unchecked")
            Map<String, Object> source = (Map<String, Object>) hit.get("_source");
            out.put((String) hit.get("_id"), source);
        }
        return out;
    }
}
