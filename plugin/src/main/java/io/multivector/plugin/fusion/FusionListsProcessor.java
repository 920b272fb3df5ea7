package io.multivector.plugin.fusion;

import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.opensearch.action.search.SearchPhaseContext;
import org.opensearch.action.search.SearchPhaseName;
import org.opensearch.action.search.SearchPhaseResults;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.common.lucene.search.TopDocsAndMaxScore;
import org.opensearch.search.SearchPhaseResult;
import org.opensearch.search.aggregations.InternalAggregations;
import org.opensearch.search.pipeline.Processor;
import org.opensearch.search.pipeline.ProcessorGenerationContext;
import org.opensearch.search.pipeline.SearchPhaseResultsProcessor;
import org.opensearch.search.pipeline.SystemGeneratedProcessor;
import org.opensearch.search.query.QuerySearchResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The middle of a fusion in one search ({@link OneSearchFusion}): between the query and the fetch phase, merges each
 * subquery's shard lists ({@code fusion_lists}) into its global list, fuses them, and gives every shard its fused
 * documents and scores as its top docs, so the fetch phase fetches the page of the one fused list. Equal scores in a
 * list are ordered by {@code _id}, as two rounds order them, with the {@code _id}s the shards sent; where a shard did not
 * send one (equal scores across shards in a vector list) the search fails with {@link #TWO_ROUNDS} and the fusion runs
 * again in two rounds.
 */
public final class FusionListsProcessor implements SystemGeneratedProcessor, SearchPhaseResultsProcessor {

    /** The factory's name, for {@code cluster.search.enabled_system_generated_factories}. */
    public static final String FACTORY = "multivector_fusion_lists";
    /** What a one-search fusion fails with when it must run again in two rounds (the reason follows). */
    static final String TWO_ROUNDS = "[fusion] needs two rounds: ";

    @Override
    public <Result extends SearchPhaseResult> void process(SearchPhaseResults<Result> results, SearchPhaseContext context) {
        FusionListsQueryBuilder spec = spec(context.getRequest());
        if (spec == null) {
            return;
        }
        if (context.getRequest().source().aggregations() == null || context.getRequest().source().aggregations().getAggregatorFactories()
            .stream().noneMatch(aggregation -> aggregation instanceof FusionListsAggregationBuilder)) {
            throw new IllegalArgumentException(FusionListsQueryBuilder.NOT_BY_HAND);
        }
        List<QuerySearchResult> shards = new ArrayList<>();
        for (Result result : results.getAtomicArray().asList()) {
            if (result != null && result.queryResult() != null && result.queryResult().hasAggs()) {
                shards.add(result.queryResult());
            }
        }
        List<List<List<RankedList.Hit>>> shardLists = new ArrayList<>();
        Map<RankedList.Doc, String> ids = new HashMap<>();
        for (QuerySearchResult shard : shards) {
            if (shard.aggregations() == null) { // batched_reduce_size is set past the shard count; this would be a bug
                throw new IllegalStateException(TWO_ROUNDS + "a shard's lists were reduced before the fusion");
            }
            InternalFusionLists lists = shard.aggregations().expand().get(FusionListsAggregationBuilder.NAME);
            shardLists.add(lists.lists());
            FusionListsQuery.putIds(lists.lists(), lists.ids(), ids);
            shard.aggregations(InternalAggregations.EMPTY); // the lists are not part of the response
        }
        List<RankedList> lists = new ArrayList<>();
        for (int i = 0; i < spec.names().size(); i++) {
            int subquery = i;
            List<RankedList.Hit> merged = InternalTopDocRefs.merge(shardLists.stream().map(l -> l.get(subquery)).toList(),
                spec.options().windowSize());
            boolean tied = false;
            for (int j = 1; j < merged.size(); j++) {
                if (merged.get(j).score() == merged.get(j - 1).score()) {
                    tied = true;
                    if (ids.containsKey(merged.get(j).doc()) == false || ids.containsKey(merged.get(j - 1).doc()) == false) {
                        throw new IllegalStateException(TWO_ROUNDS + "equal scores across shards in a list, which only _ids order");
                    }
                }
            }
            if (tied) {
                merged.sort(Subsearches.order(ids)); // as two rounds order equal scores: by _id
            }
            lists.add(new RankedList(spec.names().get(i), merged));
        }
        Map<String, List<ScoreDoc>> byShard = new HashMap<>();
        for (FusedHit hit : Fuser.fuse(lists, spec.options())) { // best first, scores strictly decreasing
            byShard.computeIfAbsent(hit.doc().index() + "/" + hit.doc().shard(), key -> new ArrayList<>())
                .add(new ScoreDoc(hit.doc().luceneDoc(), hit.score()));
        }
        for (QuerySearchResult shard : shards) {
            String key = shard.getSearchShardTarget().getIndex() + "/" + shard.getSearchShardTarget().getShardId().id();
            List<ScoreDoc> docs = byShard.getOrDefault(key, List.of());
            TopDocs top = new TopDocs(new TotalHits(docs.size(), TotalHits.Relation.EQUAL_TO), docs.toArray(new ScoreDoc[0]));
            shard.topDocs(new TopDocsAndMaxScore(top, docs.isEmpty() ? Float.NaN : docs.get(0).score), null);
        }
    }

    static FusionListsQueryBuilder spec(SearchRequest request) {
        return request.source() != null && request.source().query() instanceof FusionListsQueryBuilder lists ? lists : null;
    }

    @Override
    public SearchPhaseName getBeforePhase() {
        return SearchPhaseName.QUERY;
    }

    @Override
    public SearchPhaseName getAfterPhase() {
        return SearchPhaseName.FETCH;
    }

    @Override
    public String getType() {
        return FACTORY;
    }

    @Override
    public String getTag() {
        return null;
    }

    @Override
    public String getDescription() {
        return "fuses the lists of a fusion run as one search, between its query and fetch phases";
    }

    @Override
    public boolean isIgnoreFailure() {
        return false;
    }

    public static final class Factory implements SystemGeneratedProcessor.SystemGeneratedFactory<SearchPhaseResultsProcessor> {
        @Override
        public boolean shouldGenerate(ProcessorGenerationContext context) {
            return spec(context.searchRequest()) != null;
        }

        @Override
        public SearchPhaseResultsProcessor create(Map<String, Processor.Factory<SearchPhaseResultsProcessor>> factories, String tag,
                                                  String description, boolean ignoreFailure, Map<String, Object> config,
                                                  PipelineContext pipelineContext) {
            return new FusionListsProcessor();
        }
    }
}
