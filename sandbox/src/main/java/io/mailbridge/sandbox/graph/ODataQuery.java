package io.mailbridge.sandbox.graph;

import io.mailbridge.sandbox.http.Request;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OData query options and Prefer preferences the sandbox honours: $select, $top, $skip,
 * $filter, $expand of attachments and singleValueExtendedProperties, IdType="ImmutableId" and
 * odata.maxpagesize.
 */
record ODataQuery(Set<String> select, int top, int skip, String filter, boolean expandAttachments, boolean attachmentContent,
                  String expandPropertyFilter, boolean immutableIds, Optional<Integer> maxPageSize) {
    /** $expand=attachments, optionally with its own $select (without contentBytes, Graph leaves the content out). */
    private static final Pattern EXPAND_ATTACHMENTS = Pattern.compile("attachments(?:\\(\\$select=([^)]*)\\))?", Pattern.CASE_INSENSITIVE);
    private static final Pattern EXPAND_PROPERTIES = Pattern.compile("singleValueExtendedProperties(?:\\(\\$filter=(.*)\\))?", Pattern.CASE_INSENSITIVE);
    private static final Pattern MAX_PAGE_SIZE = Pattern.compile("odata\\.maxpagesize\\s*=\\s*(\\d+)", Pattern.CASE_INSENSITIVE);

    static ODataQuery of(Request request) {
        Set<String> select = request.param("$select").map(ODataQuery::names).orElse(null);
        int top = request.param("$top").map(Integer::parseInt).orElse(10);
        int skip = request.param("$skip").map(Integer::parseInt).orElse(0);
        boolean attachments = false;
        boolean attachmentContent = true;
        String propertyFilter = null;
        for (String item : splitTopLevel(request.param("$expand").orElse(""))) {
            Matcher matcher = EXPAND_PROPERTIES.matcher(item.trim());
            Matcher attachmentMatcher = EXPAND_ATTACHMENTS.matcher(item.trim());
            if (attachmentMatcher.matches()) {
                attachments = true;
                attachmentContent = attachmentMatcher.group(1) == null
                        || names(attachmentMatcher.group(1)).stream().anyMatch(name -> name.equalsIgnoreCase("contentBytes"));
            } else if (matcher.matches()) {
                propertyFilter = matcher.group(1) == null ? "" : matcher.group(1);
            } else if (!item.isBlank()) {
                throw new IllegalArgumentException("The sandbox cannot $expand '" + item + "'.");
            }
        }
        String prefer = request.header("Prefer").orElse("");
        boolean immutable = prefer.toLowerCase(Locale.ROOT).replace(" ", "").contains("idtype=\"immutableid\"");
        Matcher pageSize = MAX_PAGE_SIZE.matcher(prefer);
        Optional<Integer> maxPageSize = pageSize.find() ? Optional.of(Integer.parseInt(pageSize.group(1))) : Optional.empty();
        return new ODataQuery(select, top, skip, request.param("$filter").orElse(null), attachments, attachmentContent, propertyFilter,
                immutable, maxPageSize);
    }

    private static Set<String> names(String list) {
        Set<String> names = new LinkedHashSet<>();
        Arrays.stream(list.split(",")).map(String::trim).filter(name -> !name.isEmpty()).forEach(names::add);
        return names;
    }

    /** Splits on commas outside parentheses. */
    private static java.util.List<String> splitTopLevel(String text) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            parts.add(current.toString());
        }
        return parts;
    }
}
