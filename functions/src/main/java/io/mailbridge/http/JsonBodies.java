package io.mailbridge.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads JSON request bodies, turning every problem into a {@link BadRequestException} that names the field. */
public final class JsonBodies {
    private JsonBodies() {}

    public static JsonNode object(Optional<String> body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body.orElse(""));
            if (node == null || !node.isObject()) {
                throw new BadRequestException("body", "The body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new BadRequestException("body", "The body is not valid JSON");
        }
    }

    public static <E extends Enum<E>> E enumField(JsonNode object, String field, Class<E> type) {
        JsonNode value = object.get(field);
        List<String> allowed = java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
        if (value == null || !value.isTextual()) {
            throw new BadRequestException(field, field + " is required: one of " + allowed);
        }
        try {
            return Enum.valueOf(type, value.asText().trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(field, field + " must be one of " + allowed);
        }
    }

    public static boolean booleanField(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || !value.isBoolean()) {
            throw new BadRequestException(field, field + " is required: true or false");
        }
        return value.booleanValue();
    }

    /** An optional array of strings; absent means empty. */
    public static List<String> stringArray(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new BadRequestException(field, field + " must be an array of strings");
        }
        java.util.ArrayList<String> items = new java.util.ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw new BadRequestException(field + "[" + i + "]", field + "[" + i + "] must be a string");
            }
            items.add(value.get(i).asText());
        }
        return items;
    }
}
