package io.multivector.plugin.search;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.search.SearchAction;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.action.support.ActionFilterChain;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.search.SearchExtBuilder;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.tasks.Task;

import java.util.ArrayList;
import java.util.List;

/**
 * Scroll searches read whole documents (reindex, update by query and exports run on them), so their hits keep
 * the vectors: the filter adds {@link MultiVectorExt} unless the request set it itself.
 */
public final class ScrollKeepsVectorsFilter implements ActionFilter {

    @Override
    public int order() {
        return 0;
    }

    @Override
    public <Request extends ActionRequest, Response extends ActionResponse> void apply(Task task, String action, Request request,
                                                                                       ActionListener<Response> listener,
                                                                                       ActionFilterChain<Request, Response> chain) {
        if (SearchAction.NAME.equals(action) && request instanceof SearchRequest search && search.scroll() != null) {
            SearchSourceBuilder source = search.source() == null ? new SearchSourceBuilder() : search.source();
            List<SearchExtBuilder> exts = new ArrayList<>(source.ext());
            if (exts.stream().noneMatch(ext -> ext instanceof MultiVectorExt)) {
                exts.add(new MultiVectorExt(true, false, true));
                search.source(source.ext(exts));
            }
        }
        chain.proceed(task, action, request, listener);
    }
}
