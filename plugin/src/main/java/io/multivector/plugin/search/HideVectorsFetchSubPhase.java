package io.multivector.plugin.search;

import io.multivector.plugin.mapper.VectorFieldType;
import org.apache.lucene.index.LeafReaderContext;
import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.search.SearchHit;
import org.opensearch.search.fetch.FetchContext;
import org.opensearch.search.fetch.FetchSubPhase;
import org.opensearch.search.fetch.FetchSubPhaseProcessor;
import org.opensearch.search.fetch.subphase.FetchSourceContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Search hits leave the plugin's vectors out of {@code _source} unless the request names what it wants: a
 * document can carry thousands of numbers per model, which nobody reading hits wants by default. Vectors come
 * back when asked for, through {@code _source} includes, {@code fields} or {@link MultiVectorExt}. GET and
 * updates read the whole source; scroll searches (reindex, update by query) get {@link MultiVectorExt}.
 */
public final class HideVectorsFetchSubPhase implements FetchSubPhase {

    @Override
    public FetchSubPhaseProcessor getProcessor(FetchContext context) {
        FetchSourceContext source = context.fetchSourceContext();
        if (source == null || source.fetchSource() == false || source.includes().length > 0
            || context.getSearchExt(MultiVectorExt.NAME) instanceof MultiVectorExt ext && ext.includeVectors()) {
            return null;
        }
        List<String> vectorFields = new ArrayList<>();
        for (MappedFieldType type : context.mapperService().fieldTypes()) {
            if (type instanceof VectorFieldType) {
                vectorFields.add(type.name());
            }
        }
        if (vectorFields.isEmpty()) {
            return null;
        }
        return new FetchSubPhaseProcessor() {
            @Override
            public void setNextReader(LeafReaderContext readerContext) {}

            @Override
            public void process(HitContext hitContext) throws IOException {
                SearchHit hit = hitContext.hit();
                if (hit.hasSource() == false) {
                    return;
                }
                Map<String, Object> map = hit.getSourceAsMap();
                boolean removed = false;
                for (String field : vectorFields) {
                    removed |= remove(map, field);
                }
                if (removed) {
                    hit.sourceRef(BytesReference.bytes(XContentFactory.jsonBuilder().map(map)));
                }
            }
        };
    }

    /** Removes a field given by its full path, whether the source nests objects or uses dotted keys. */
    @SuppressWarnings("unchecked")
    static boolean remove(Map<String, Object> map, String path) {
        if (map.remove(path) != null) {
            return true;
        }
        int dot = path.indexOf('.');
        while (dot > 0) {
            Object child = map.get(path.substring(0, dot));
            if (child instanceof Map<?, ?> && remove((Map<String, Object>) child, path.substring(dot + 1))) {
                return true;
            }
            dot = path.indexOf('.', dot + 1);
        }
        return false;
    }
}
