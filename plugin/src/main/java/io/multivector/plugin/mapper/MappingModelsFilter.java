package io.multivector.plugin.mapper;

import io.multivector.analysis.ModelRegistry.ModelInfo;
import io.multivector.plugin.query.FieldModels;
import io.multivector.rest.inference.InferenceService;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.admin.indices.create.CreateIndexAction;
import org.opensearch.action.admin.indices.create.CreateIndexRequest;
import org.opensearch.action.admin.indices.mapping.put.PutMappingAction;
import org.opensearch.action.admin.indices.mapping.put.PutMappingRequest;
import org.opensearch.action.admin.indices.template.put.PutComponentTemplateAction;
import org.opensearch.action.admin.indices.template.put.PutComposableIndexTemplateAction;
import org.opensearch.action.admin.indices.template.put.PutIndexTemplateAction;
import org.opensearch.action.admin.indices.template.put.PutIndexTemplateRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.action.support.ActionFilterChain;
import org.opensearch.cluster.metadata.Template;
import org.opensearch.common.compress.CompressedXContent;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.support.XContentMapValues;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.index.mapper.MapperParsingException;
import org.opensearch.tasks.Task;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Checks the {@code model} of every vector field in a mapping a user sends (create index, put mapping, index and
 * component templates) against the models the cluster knows: an unknown model, a model whose kind does not fit the
 * field type, or whose dims differ from the field's, is a 400 at mapping time instead of a failure per document or
 * per query later.
 *
 * <p>Why a filter on the requests and not the field mapper's parser: the parser also runs when a node recovers or
 * opens an index whose mapping is already in the cluster, and a model deleted (or redefined) since must not make
 * that index unreadable. Mappings that do not come from these requests (e.g. fields that dynamic templates add) are
 * not checked here; they fail per document as before.
 */
public final class MappingModelsFilter implements ActionFilter {

    private final Supplier<InferenceService> inference;
    private final Supplier<FieldModels> fieldModels;

    /** Suppliers: action filters are made before the plugin's components. */
    public MappingModelsFilter(Supplier<InferenceService> inference, Supplier<FieldModels> fieldModels) {
        this.inference = inference;
        this.fieldModels = fieldModels;
    }

    @Override
    public int order() {
        return 0;
    }

    @Override
    public <Request extends ActionRequest, Response extends ActionResponse> void apply(Task task, String action, Request request,
                                                                                       ActionListener<Response> listener,
                                                                                       ActionFilterChain<Request, Response> chain) {
        if (inference.get() != null && fieldModels.get() != null) {
            try {
                BytesReference mapping = mapping(action, request);
                if (mapping != null) {
                    check(mapping, request instanceof PutMappingRequest put ? existingIndices(put) : List.of());
                }
            } catch (MapperParsingException e) {
                listener.onFailure(e);
                return;
            }
        }
        chain.proceed(task, action, request, listener);
    }

    /** The mapping a user sends with the request, or null when the request is not one that defines mappings. */
    private static BytesReference mapping(String action, ActionRequest request) {
        if (CreateIndexAction.NAME.equals(action) && request instanceof CreateIndexRequest create) {
            return bytes(create.mappings());
        }
        if (PutMappingAction.NAME.equals(action) && request instanceof PutMappingRequest put) {
            return bytes(put.source());
        }
        if (PutIndexTemplateAction.NAME.equals(action) && request instanceof PutIndexTemplateRequest template) {
            return bytes(template.mappings());
        }
        if (PutComposableIndexTemplateAction.NAME.equals(action) && request instanceof PutComposableIndexTemplateAction.Request put) {
            return put.indexTemplate() == null ? null : bytes(put.indexTemplate().template());
        }
        if (PutComponentTemplateAction.NAME.equals(action) && request instanceof PutComponentTemplateAction.Request put) {
            return put.componentTemplate() == null ? null : bytes(put.componentTemplate().template());
        }
        return null;
    }

    private static BytesReference bytes(String source) {
        return source == null || source.isEmpty() ? null : new BytesArray(source);
    }

    private static BytesReference bytes(Template template) {
        CompressedXContent mappings = template == null ? null : template.mappings();
        return mappings == null ? null : mappings.uncompressed();
    }

    /** The indices a put mapping changes: a field they all map already with the same model is not new, and not checked. */
    private List<String> existingIndices(PutMappingRequest put) {
        try {
            return fieldModels.get().concreteIndices(put);
        } catch (RuntimeException e) {
            return List.of(); // the put mapping itself will say what is wrong with its indices
        }
    }

    private void check(BytesReference mapping, List<String> existing) {
        Map<String, Object> map;
        try {
            map = XContentHelper.convertToMap(mapping, false).v2();
        } catch (RuntimeException e) {
            return; // not parseable: OpenSearch's own parser gives the error
        }
        walk(map, "", false, existing);
    }

    /**
     * Every object that is a vector field definition, wherever it sits: under {@code properties}, multi-field
     * {@code fields}, a type name, or a dynamic template's {@code mapping}. {@code names} is true in an object whose
     * keys are field names.
     */
    private void walk(Object node, String path, boolean names, List<String> existing) {
        if (node instanceof List<?> list) {
            list.forEach(item -> walk(item, path, false, existing));
            return;
        }
        if (!(node instanceof Map<?, ?> map)) {
            return;
        }
        if (names == false && isVectorField(map)) {
            checkField(path, map, existing);
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (names == false && (key.equals("_meta") || key.equals("meta"))) {
                continue; // free-form user data, not mappings
            }
            boolean childNames = names == false && (key.equals("properties") || key.equals("fields"));
            walk(entry.getValue(), names ? (path.isEmpty() ? key : path + "." + key) : path, childNames, existing);
        }
    }

    private static boolean isVectorField(Map<?, ?> map) {
        Object type = map.get("type");
        return MultiVectorFieldMapper.CONTENT_TYPE.equals(type) || DenseVectorFieldMapper.CONTENT_TYPE.equals(type);
    }

    private void checkField(String path, Map<?, ?> field, List<String> existing) {
        if (!(field.get("model") instanceof String model)) {
            return;
        }
        String type = (String) field.get("type");
        String name = path.isEmpty() ? "the dynamic template's" : "[" + path + "]";
        Integer dims = dims(field.get("dims"));
        if (existing.isEmpty() == false && existing.stream().allMatch(index ->
            Objects.equals(fieldModels.get().resolve(index, path), new FieldModels.Mapped(type, dims == null ? -1 : dims, model)))) {
            return; // the same field, mapped again as it is
        }
        ModelInfo info = inference.get().describe(model);
        if (info == null) {
            throw new MapperParsingException("field " + name + " of type [" + type + "] names an unknown model [" + model + "]; register it first"
                + " (PUT _plugins/_multivector/models/" + model + ") or use one of " + inference.get().registry().ids());
        }
        boolean multi = MultiVectorFieldMapper.CONTENT_TYPE.equals(type);
        if (info.kind().isMultiVector() != multi) {
            throw new MapperParsingException("field " + name + " of type [" + type + "] cannot use model [" + model + "], which is ["
                + info.kind().jsonName() + "]: a " + type + " field takes " + (multi ? "a [text_tokens] model (one vector per token)"
                : "a [text_dense], [image] or [clip_text] model (one vector per input)"));
        }
        if (dims != null && dims != info.dims()) {
            throw new MapperParsingException("field " + name + " has [dims] [" + dims + "], but its model [" + model + "] gives ["
                + info.dims() + "] dimensions");
        }
    }

    /** The mapping's dims, or null when it is missing or not a number (the field mapper says what is wrong then). */
    private static Integer dims(Object value) {
        try {
            return value == null ? null : XContentMapValues.nodeIntegerValue(value);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
