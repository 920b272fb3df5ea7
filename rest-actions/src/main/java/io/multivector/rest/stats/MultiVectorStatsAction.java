package io.multivector.rest.stats;

import io.multivector.rest.inference.InferenceService;
import org.opensearch.action.ActionType;
import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.nodes.BaseNodeResponse;
import org.opensearch.action.support.nodes.BaseNodesRequest;
import org.opensearch.action.support.nodes.BaseNodesResponse;
import org.opensearch.action.support.nodes.TransportNodesAction;
import org.opensearch.cluster.ClusterName;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportRequest;
import org.opensearch.transport.TransportService;

import java.io.IOException;
import java.util.List;

/** Model stats of every node of the cluster (or of the nodes named), gathered over the transport layer. */
public final class MultiVectorStatsAction extends ActionType<MultiVectorStatsAction.Response> {

    public static final String NAME = "cluster:monitor/multivector/stats";
    public static final MultiVectorStatsAction INSTANCE = new MultiVectorStatsAction();

    private MultiVectorStatsAction() {
        super(NAME, Response::new);
    }

    public static final class Request extends BaseNodesRequest<Request> {
        public Request(String... nodeIds) {
            super(nodeIds);
        }

        public Request(StreamInput in) throws IOException {
            super(in);
        }
    }

    public static final class NodeRequest extends TransportRequest {
        public NodeRequest() {}

        public NodeRequest(StreamInput in) throws IOException {
            super(in);
        }
    }

    public static final class NodeResponse extends BaseNodeResponse {
        final List<ModelStats> models;
        final long[] fusion; // FusionInFlight.snapshot()

        NodeResponse(DiscoveryNode node, List<ModelStats> models, long[] fusion) {
            super(node);
            this.models = models;
            this.fusion = fusion;
        }

        NodeResponse(StreamInput in) throws IOException {
            super(in);
            models = in.readList(ModelStats::new);
            fusion = in.readVLongArray();
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeList(models);
            out.writeVLongArray(fusion);
        }
    }

    public static final class Response extends BaseNodesResponse<NodeResponse> implements ToXContentObject {
        Response(ClusterName clusterName, List<NodeResponse> nodes, List<FailedNodeException> failures) {
            super(clusterName, nodes, failures);
        }

        Response(StreamInput in) throws IOException {
            super(in);
        }

        @Override
        protected List<NodeResponse> readNodesFrom(StreamInput in) throws IOException {
            return in.readList(NodeResponse::new);
        }

        @Override
        protected void writeNodesTo(StreamOutput out, List<NodeResponse> nodes) throws IOException {
            out.writeList(nodes);
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject();
            builder.field("cluster_name", getClusterName().value());
            builder.startObject("_nodes").field("total", getNodes().size() + failures().size()).field("successful", getNodes().size())
                .field("failed", failures().size()).endObject();
            builder.startObject("nodes");
            for (NodeResponse node : getNodes()) {
                builder.startObject(node.getNode().getId()).field("name", node.getNode().getName()).startObject("models");
                for (ModelStats model : node.models) {
                    model.toXContent(builder, params);
                }
                builder.endObject();
                builder.startObject("fusion").field("in_flight", node.fusion[0]).field("window_hits_in_flight", node.fusion[1])
                    .field("peak_window_hits", node.fusion[2]).field("total", node.fusion[3])
                    .field("by_reference", node.fusion[4]).field("ran_again", node.fusion[5])
                    .field("one_search", node.fusion[6]).endObject();
                builder.endObject();
            }
            return builder.endObject().endObject();
        }
    }

    public static final class Transport extends TransportNodesAction<Request, Response, NodeRequest, NodeResponse> {
        private final InferenceService inference;
        private final FusionInFlight fusion;

        @Inject
        public Transport(ThreadPool threadPool, ClusterService clusterService, TransportService transportService, ActionFilters actionFilters,
                         InferenceService inference, FusionInFlight fusion) {
            super(NAME, threadPool, clusterService, transportService, actionFilters, Request::new, NodeRequest::new,
                ThreadPool.Names.MANAGEMENT, NodeResponse.class);
            this.inference = inference;
            this.fusion = fusion;
        }

        @Override
        protected Response newResponse(Request request, List<NodeResponse> responses, List<FailedNodeException> failures) {
            return new Response(clusterService.getClusterName(), responses, failures);
        }

        @Override
        protected NodeRequest newNodeRequest(Request request) {
            return new NodeRequest();
        }

        @Override
        protected NodeResponse newNodeResponse(StreamInput in) throws IOException {
            return new NodeResponse(in);
        }

        @Override
        protected NodeResponse nodeOperation(NodeRequest request) {
            return new NodeResponse(clusterService.localNode(), inference.registry().infos().values().stream().map(ModelStats::of).toList(),
                fusion.snapshot());
        }
    }
}
