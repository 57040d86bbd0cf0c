package io.mailbridge.sandbox.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.sandbox.http.Handler;
import io.mailbridge.sandbox.http.Json;
import io.mailbridge.sandbox.http.Request;
import io.mailbridge.sandbox.http.Response;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * JSON batching: up to 20 requests in one POST /$batch, run at most 4 at a time as Graph hands
 * them to Outlook (each still passes the mailbox's throttling), or in order when any uses
 * dependsOn, where a failed dependency answers 424.
 */
final class Batches {
    private static final int MAX_REQUESTS = 20;
    private static final int PARALLEL = 4;

    private final Handler graph;
    private final Clock clock;

    Batches(Handler graph, Clock clock) {
        this.graph = graph;
        this.clock = clock;
    }

    private record Step(String id, String method, String url, Map<String, String> headers, JsonNode body, List<String> dependsOn) {
    }

    Response run(Request batch) {
        JsonNode requests;
        try {
            requests = Json.parse(batch.body()).path("requests");
        } catch (Json.MalformedJsonException e) {
            return GraphError.badRequest("Invalid batch payload: " + e.getMessage());
        }
        if (!requests.isArray() || requests.isEmpty()) {
            return GraphError.badRequest("Invalid batch payload: 'requests' must be a non-empty array.");
        }
        if (requests.size() > MAX_REQUESTS) {
            return GraphError.badRequest("Invalid batch payload format: the number of requests (" + requests.size()
                    + ") exceeds the maximum of " + MAX_REQUESTS + ".");
        }
        List<Step> steps = new ArrayList<>();
        for (JsonNode request : requests) {
            Map<String, String> headers = new LinkedHashMap<>();
            request.path("headers").fields().forEachRemaining(header -> headers.put(header.getKey(), header.getValue().asText()));
            List<String> dependsOn = new ArrayList<>();
            request.path("dependsOn").forEach(id -> dependsOn.add(id.asText()));
            steps.add(new Step(request.path("id").asText(), request.path("method").asText("GET").toUpperCase(java.util.Locale.ROOT),
                    request.path("url").asText(), headers, request.hasNonNull("body") ? request.get("body") : null, dependsOn));
        }
        boolean sequential = steps.stream().anyMatch(step -> !step.dependsOn().isEmpty());
        Map<String, ObjectNode> answers = new HashMap<>();
        if (sequential) {
            for (Step step : steps) {
                boolean dependencyFailed = step.dependsOn().stream().map(answers::get)
                        .anyMatch(answer -> answer == null || answer.path("status").asInt() >= 400);
                answers.put(step.id(), dependencyFailed ? failedDependency(batch, step) : execute(batch, step));
            }
        } else {
            ExecutorService workers = Executors.newFixedThreadPool(PARALLEL);
            try {
                List<Future<ObjectNode>> futures = new ArrayList<>();
                for (Step step : steps) {
                    futures.add(workers.submit(() -> execute(batch, step)));
                }
                for (int i = 0; i < steps.size(); i++) {
                    answers.put(steps.get(i).id(), futures.get(i).get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return GraphError.of(503, "ServiceUnavailable", "The batch was interrupted.");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } finally {
                workers.shutdownNow();
            }
        }
        ObjectNode body = Json.object();
        ArrayNode responses = body.putArray("responses");
        steps.forEach(step -> responses.add(answers.get(step.id())));
        return Response.json(200, body);
    }

    private ObjectNode execute(Request batch, Step step) {
        if (step.body() != null && step.headers().keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            return GraphWire.step(step.id(), GraphError.badRequest("Content-Type header is required when body is specified."), trace(batch, step));
        }
        URI relative = URI.create(step.url().startsWith("/") ? step.url() : "/" + step.url());
        Map<String, String> headers = new LinkedHashMap<>(step.headers());
        batch.header("Authorization").ifPresent(token -> headers.put("Authorization", token));
        byte[] body = step.body() == null ? new byte[0] : Json.bytes(step.body());
        URI full = URI.create("/v1.0" + relative.getRawPath() + (relative.getRawQuery() == null ? "" : "?" + relative.getRawQuery()));
        Response response = graph.handle(Request.of(step.method(), full, headers, body, batch.baseUrl()));
        return GraphWire.step(step.id(), response, trace(batch, step));
    }

    private ObjectNode failedDependency(Request batch, Step step) {
        return GraphWire.step(step.id(), GraphError.of(424, "FailedDependency", "A request this one depends on failed."), trace(batch, step));
    }

    /** A step's own request id; its client-request-id is its own header's, else the batch's. */
    private GraphWire.Trace trace(Request batch, Step step) {
        String stepId = step.headers().entrySet().stream().filter(header -> header.getKey().equalsIgnoreCase("client-request-id"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        return GraphWire.Trace.of(stepId != null ? stepId : batch.header("client-request-id").orElse(null), clock);
    }
}
