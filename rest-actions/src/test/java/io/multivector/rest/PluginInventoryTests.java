package io.multivector.rest;

import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.test.OpenSearchTestCase;

import java.util.List;
import java.util.Map;

public class PluginInventoryTests extends OpenSearchTestCase {

    public void testRendersVersionsAndSortedRegistrations() throws Exception {
        PluginInventory inventory = PluginInventory.of("1.2.3", "3.6.0", "10.4.0",
            Map.of("queries", List.of("vector", "fusion"), "codecs", List.of()));
        XContentBuilder builder = XContentFactory.jsonBuilder();
        inventory.toXContent(builder, ToXContent.EMPTY_PARAMS);
        Map<String, Object> json = XContentHelper.convertToMap(org.opensearch.core.common.bytes.BytesReference.bytes(builder), false,
            builder.contentType()).v2();
        assertEquals("multivector", json.get("name"));
        assertEquals("1.2.3", json.get("version"));
        assertEquals("3.6.0", json.get("opensearch_version"));
        assertEquals("10.4.0", json.get("lucene_version"));
        assertEquals(List.of("fusion", "vector"), json.get("queries"));
        assertEquals(List.of(), json.get("codecs"));
    }
}
