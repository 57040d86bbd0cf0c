package io.mailbridge.sandbox.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.sandbox.http.Handler;
import io.mailbridge.sandbox.http.Json;
import io.mailbridge.sandbox.http.Request;
import io.mailbridge.sandbox.http.Response;
import java.net.URI;
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

    Batches(Handler graph) {
        this.graph = graph;
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
                    request.path("url").asText(), headers, request.get("body"), dependsOn));
        }
        boolean sequential = steps.stream().anyMatch(step -> !step.dependsOn().isEmpty());
        Map<String, ObjectNode> answers = new HashMap<>();
        if (sequential) {
            for (Step step : steps) {
                boolean dependencyFailed = step.dependsOn().stream().map(answers::get)
                        .anyMatch(answer -> answer == null || answer.path("status").asInt() >= 400);
                answers.put(step.id(), dependencyFailed ? failedDependency(step) : execute(batch, step));
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
        URI relative = URI.create(step.url().startsWith("/") ? step.url() : "/" + step.url());
        Map<String, String> headers = new LinkedHashMap<>(step.headers());
        batch.header("Authorization").ifPresent(token -> headers.put("Authorization", token));
        byte[] body = step.body() == null ? new byte[0] : Json.bytes(step.body());
        URI full = URI.create("/v1.0" + relative.getRawPath() + (relative.getRawQuery() == null ? "" : "?" + relative.getRawQuery()));
        Response response = graph.handle(Request.of(step.method(), full, headers, body, batch.baseUrl()));
        ObjectNode answer = Json.object().put("id", step.id()).put("status", response.status());
        ObjectNode answerHeaders = answer.putObject("headers");
        response.headers().forEach(answerHeaders::put);
        if (response.body().length > 0) {
            try {
                answer.set("body", Json.parse(response.body()));
            } catch (Json.MalformedJsonException e) {
                answer.put("body", response.bodyText());
            }
        }
        return answer;
    }

    private static ObjectNode failedDependency(Step step) {
        ObjectNode answer = Json.object().put("id", step.id()).put("status", 424);
        answer.putObject("headers").put("Content-Type", "application/json");
        answer.putObject("body").putObject("error").put("code", "FailedDependency").put("message", "A request this one depends on failed.");
        return answer;
    }
}
