package io.multivector.rest;

import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the plugin registers in the node, by kind ("field_types", "queries", ...). The plugin builds it from
 * the very maps and lists it hands to OpenSearch, so the inventory cannot drift from the registrations.
 */
public record PluginInventory(String pluginVersion, String openSearchVersion, String luceneVersion,
                              SortedMap<String, List<String>> registrations) implements ToXContentObject {

    public PluginInventory {
        registrations = new TreeMap<>(registrations);
        registrations.replaceAll((kind, names) -> names.stream().sorted().toList());
    }

    public static PluginInventory of(String pluginVersion, String openSearchVersion, String luceneVersion,
                                     Map<String, List<String>> registrations) {
        return new PluginInventory(pluginVersion, openSearchVersion, luceneVersion, new TreeMap<>(registrations));
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("name", "multivector");
        builder.field("version", pluginVersion);
        builder.field("opensearch_version", openSearchVersion);
        builder.field("lucene_version", luceneVersion);
        for (Map.Entry<String, List<String>> kind : registrations.entrySet()) {
            builder.field(kind.getKey(), kind.getValue());
        }
        return builder.endObject();
    }
}
