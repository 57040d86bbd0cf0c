package io.mailbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Graph over plain HTTPS, for what the SDK hides: headers, exact bodies, batches written by hand. */
final class RawGraph {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Sandbox sandbox;
    private final SandboxClients clients;

    RawGraph(Sandbox sandbox, SandboxClients clients) {
        this.sandbox = sandbox;
        this.clients = clients;
    }

    /** A request under /v1.0; extra headers come as name, value pairs. */
    HttpResponse<String> call(String method, String path, String bearer, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.graphBaseUrl() + path)).header("Authorization", "Bearer " + bearer)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return clients.send(request.build());
    }

    /** A control API call (JSON in, JSON out). */
    HttpResponse<String> control(String method, String path, String body) {
        return clients.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/control" + path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
