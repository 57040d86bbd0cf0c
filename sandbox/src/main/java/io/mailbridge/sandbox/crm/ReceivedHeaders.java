package io.mailbridge.sandbox.crm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The HTTP headers of a request the CRM received, looked up by name in any case. */
public record ReceivedHeaders(Map<String, List<String>> values) {

    public ReceivedHeaders {
        Map<String, List<String>> byLowerCaseName = new TreeMap<>();
        values.forEach((name, list) ->
                byLowerCaseName.computeIfAbsent(name.toLowerCase(Locale.ROOT), key -> new ArrayList<>()).addAll(list));
        byLowerCaseName.replaceAll((name, list) -> List.copyOf(list));
        values = Map.copyOf(byLowerCaseName);
    }

    public List<String> all(String name) {
        return values.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    public Optional<String> first(String name) {
        return all(name).stream().findFirst();
    }
}
