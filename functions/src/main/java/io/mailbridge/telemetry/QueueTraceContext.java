package io.mailbridge.telemetry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * W3C trace context in queue messages: the producer adds {@code traceparent} (and {@code tracestate}) to a JSON
 * message's top level, the consumer's invocation continues that trace. Storage queues carry no message
 * properties, so the payload is the only place; the records the app reads ignore exactly these fields.
 */
public final class QueueTraceContext {
    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Collection<String> FIELDS = W3C.fields();

    private static final TextMapGetter<JsonNode> FROM_JSON = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(JsonNode carrier) {
            return List.copyOf(FIELDS);
        }

        @Override
        public String get(JsonNode carrier, String key) {
            JsonNode value = carrier == null ? null : carrier.get(key);
            return value != null && value.isTextual() ? value.asText() : null;
        }
    };

    /** Lets a mapper read records from messages that carry trace context, while every other unknown field still fails. */
    public static final DeserializationProblemHandler IGNORE_TRACE_FIELDS = new DeserializationProblemHandler() {
        @Override
        public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser, JsonDeserializer<?> deserializer,
                Object beanOrClass, String propertyName) throws IOException {
            if (!FIELDS.contains(propertyName)) {
                return false;
            }
            parser.skipChildren();
            return true;
        }
    };

    private QueueTraceContext() {}

    /** The message with the current trace context added; unchanged when there is none or it is not a JSON object. */
    public static String inject(String message) {
        Map<String, String> carrier = new LinkedHashMap<>();
        W3C.inject(Context.current(), carrier, Map::put);
        if (carrier.isEmpty() || !message.startsWith("{")) {
            return message;
        }
        try {
            JsonNode json = MAPPER.readTree(message);
            if (!(json instanceof ObjectNode object)) {
                return message;
            }
            carrier.forEach(object::put);
            return MAPPER.writeValueAsString(object);
        } catch (IOException e) {
            return message;
        }
    }

    /** The trace context a message carries, on top of {@code base}; {@code base} itself when it carries none. */
    public static Context extract(String message, Context base) {
        if (message == null || !message.startsWith("{")) {
            return base;
        }
        try {
            return W3C.extract(base, MAPPER.readTree(message), FROM_JSON);
        } catch (IOException e) {
            return base;
        }
    }
}
