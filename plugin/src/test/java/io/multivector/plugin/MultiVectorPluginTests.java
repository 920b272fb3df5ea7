package io.multivector.plugin;

import io.multivector.rest.PluginInventory;
import org.opensearch.test.OpenSearchTestCase;

import java.util.List;

public class MultiVectorPluginTests extends OpenSearchTestCase {

    public void testInventoryNamesVersionsAndEveryKind() {
        PluginInventory inventory = new MultiVectorPlugin().inventory();
        assertEquals("3.6.0", inventory.openSearchVersion());
        assertEquals("10.4.0", inventory.luceneVersion());
        assertTrue(inventory.pluginVersion(), inventory.pluginVersion().matches("\\d+\\.\\d+\\.\\d+.*"));
        assertEquals(List.of("codecs", "field_types", "formats", "ingest_processors", "maxsim_kernels", "models", "queries",
            "search_pipeline_processors"),
            List.copyOf(inventory.registrations().keySet()));
    }
}
