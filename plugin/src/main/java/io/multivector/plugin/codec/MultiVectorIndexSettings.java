package io.multivector.plugin.codec;

import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;

/**
 * {@code index.multivector}: gives the index the plugin's codec, which stores vector fields in their own formats.
 * Like {@code index.knn}, it is opt-in per index: a node without the plugin could not read segments written by
 * the plugin's formats, so the plugin never takes over an index that did not ask for it.
 */
public final class MultiVectorIndexSettings {

    public static final String KEY = "index.multivector";
    public static final Setting<Boolean> ENABLED = Setting.boolSetting(KEY, false, Setting.Property.IndexScope, Setting.Property.Final);

    /** opensearch-knn's own switch; when it is on, k-NN owns the index's codec and ours cannot be installed. */
    static final String KNN_KEY = "index.knn";

    private MultiVectorIndexSettings() {}

    public static boolean codecEnabled(Settings indexSettings) {
        return ENABLED.get(indexSettings) && indexSettings.getAsBoolean(KNN_KEY, false) == false;
    }

    public static String codecRequiredMessage(String type, String field) {
        return "field [" + field + "] of type [" + type + "] needs the index setting [" + KEY + ": true] (and not [" + KNN_KEY
            + ": true], which gives the index to opensearch-knn's codec); create the index with \"settings\": {\"" + KEY + "\": true}";
    }
}
