package io.mailbridge.devhost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.devhost.http.AccessKeys;
import io.mailbridge.devhost.runtime.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A local.settings.json as Core Tools reads it: {@code Values} (the app settings), {@code Host.LocalHttpPort},
 * and the devhost's own {@code DevHost} section with the master key and the named function keys.
 * Values are secrets, so errors name fields, never values.
 */
public record LocalSettings(Map<String, String> values, int localHttpPort, AccessKeys keys) {
    public static final int DEFAULT_HTTP_PORT = 7071;

    public LocalSettings {
        values = Map.copyOf(values);
    }

    public static LocalSettings read(Path file) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            // Without the parser's message: it can quote the text around the error, which may be a secret.
            throw new IllegalArgumentException(file + " is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " must hold a JSON object");
        }
        if (root.path("IsEncrypted").asBoolean(false)) {
            throw new IllegalArgumentException(file + " is encrypted (IsEncrypted: true); the devhost reads plain settings only");
        }
        Map<String, String> values = strings(root.path("Values"), file, "Values");
        JsonNode port = root.path("Host").path("LocalHttpPort");
        if (!port.isMissingNode() && !(port.canConvertToInt() && port.asInt() >= 0 && port.asInt() <= 65535)) {
            throw new IllegalArgumentException(file + ": Host.LocalHttpPort must be a port number");
        }
        JsonNode devHost = root.path("DevHost");
        String masterKey = devHost.path("MasterKey").isTextual() ? devHost.path("MasterKey").asText() : null;
        AccessKeys keys = new AccessKeys(masterKey, strings(devHost.path("FunctionKeys"), file, "DevHost.FunctionKeys"));
        return new LocalSettings(values, port.isMissingNode() ? DEFAULT_HTTP_PORT : port.asInt(), keys);
    }

    private static Map<String, String> strings(JsonNode object, Path file, String section) {
        Map<String, String> strings = new LinkedHashMap<>();
        if (object.isMissingNode() || object.isNull()) {
            return strings;
        }
        if (!object.isObject()) {
            throw new IllegalArgumentException(file + ": " + section + " must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                throw new IllegalArgumentException(file + ": " + section + "." + entry.getKey() + " must be a string");
            }
            strings.put(entry.getKey(), entry.getValue().asText());
        }
        return strings;
    }

    /** The values are secrets: this names the settings only. */
    @Override
    public String toString() {
        return "LocalSettings[values " + values.keySet() + ", localHttpPort " + localHttpPort + ", " + keys + "]";
    }
}
