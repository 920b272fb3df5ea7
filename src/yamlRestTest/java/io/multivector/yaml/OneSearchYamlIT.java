package io.multivector.yaml;

import com.carrotsearch.randomizedtesting.annotations.Name;
import com.carrotsearch.randomizedtesting.annotations.ParametersFactory;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.common.xcontent.support.XContentMapValues;
import org.opensearch.test.rest.yaml.ClientYamlTestCandidate;
import org.opensearch.test.rest.yaml.OpenSearchClientYamlSuiteTestCase;
import org.junit.AfterClass;
import org.junit.Before;

import java.io.IOException;
import java.util.Map;

/**
 * Runs every YAML suite again with fusion in one search turned on (the core setting
 * {@code cluster.search.enabled_system_generated_factories} naming {@code multivector_fusion_lists}): a fusion of
 * vector subqueries then runs as one search, and every expected score, page, stat and 400 must stay as it is.
 */
public class OneSearchYamlIT extends OpenSearchClientYamlSuiteTestCase {

    private static Long oneSearchBefore;

    public OneSearchYamlIT(@Name("yaml") ClientYamlTestCandidate testCandidate) {
        super(testCandidate);
    }

    @ParametersFactory
    public static Iterable<Object[]> parameters() throws Exception {
        return createParameters();
    }

    /** Set before each test: the cluster's settings are wiped after each. */
    @Before
    public void oneSearchOn() throws IOException {
        if (oneSearchBefore == null) {
            oneSearchBefore = oneSearchFusions();
        }
        Request settings = new Request("PUT", "/_cluster/settings");
        settings.setJsonEntity("{\"persistent\": {\"cluster.search.enabled_system_generated_factories\": [\"multivector_fusion_lists\"]}}");
        adminClient().performRequest(settings);
    }

    /** The suites' fusions of vector subqueries did run as one search (more than the one test that turns it on itself). */
    @AfterClass
    public static void fusionsRanAsOneSearch() throws IOException {
        long ran = oneSearchFusions() - oneSearchBefore;
        assertTrue("fusions run as one search: " + ran, ran >= 10);
    }

    private static long oneSearchFusions() throws IOException {
        Response response = adminClient().performRequest(new Request("GET", "/_plugins/_multivector/stats"));
        Map<String, Object> nodes = (Map<String, Object>) entityAsMap(response).get("nodes");
        long total = 0;
        for (Object node : nodes.values()) {
            total += ((Number) XContentMapValues.extractValue("fusion.one_search", (Map<String, Object>) node)).longValue();
        }
        return total;
    }
}
