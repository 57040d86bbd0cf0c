package io.mailbridge.devhost.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpMethod;
import io.mailbridge.devhost.runtime.AppSettings;
import io.mailbridge.devhost.runtime.FunctionDefinition;
import io.mailbridge.devhost.runtime.FunctionInvoker;
import io.mailbridge.devhost.runtime.HostJson;
import io.mailbridge.devhost.runtime.ParameterBinding;
import io.mailbridge.devhost.runtime.StartupProblems;
import io.mailbridge.devhost.runtime.TriggerBinding;
import io.mailbridge.testkit.http.PercentDecoding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * The HTTP-triggered functions, checked and ordered for routing before anything starts: the route
 * prefix from host.json ({@code extensions.http.routePrefix}, default "api"), each route template,
 * {@code @BindingName} parameters that must name route parameters, and routes that would collide.
 */
public final class HttpTriggers {
    private static final String DEFAULT_ROUTE_PREFIX = "api";
    public static final String BODY_SIZE_LIMIT_SETTING = "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT";
    private static final long DEFAULT_MAX_REQUEST_BYTES = 104_857_600L;

    private final String routePrefix;
    private final List<Route> routes;

    private HttpTriggers(String routePrefix, List<Route> routes) {
        this.routePrefix = routePrefix;
        this.routes = routes;
    }

    /** One function's route. {@code methods} empty means every method. */
    record Route(RouteTemplate template, FunctionDefinition function, TriggerBinding.Http binding) {
        boolean allows(HttpMethod method) {
            return binding.methods().isEmpty() || (method != null && binding.methods().contains(method));
        }

        Set<HttpMethod> methods() {
            return binding.methods().isEmpty() ? EnumSet.allOf(HttpMethod.class) : binding.methods();
        }
    }

    /** A route that matched a path, with the route parameters' values. */
    record Match(Route route, Map<String, String> values) {}

    public static HttpTriggers prepare(List<FunctionDefinition> functions, HostJson hostJson, StartupProblems problems) {
        String prefix = routePrefix(hostJson, problems);
        List<Route> routes = new ArrayList<>();
        for (FunctionDefinition function : functions) {
            if (function.trigger() instanceof TriggerBinding.Http binding) {
                try {
                    RouteTemplate template = RouteTemplate.parse(binding.route());
                    checkBindingNames(function, template, problems);
                    Route route = new Route(template, function, binding);
                    checkCollisions(routes, route, problems);
                    routes.add(route);
                } catch (IllegalArgumentException e) {
                    problems.add(function.name(), "route '" + binding.route() + "' is invalid: " + e.getMessage());
                }
            }
        }
        routes.sort(Comparator.comparing(Route::template, RouteTemplate.BY_PRECEDENCE));
        return new HttpTriggers(prefix, List.copyOf(routes));
    }

    private static String routePrefix(HostJson hostJson, StartupProblems problems) {
        Optional<JsonNode> prefix = hostJson.extension("http").flatMap(http -> HostJson.field(http, "routePrefix"));
        if (prefix.isPresent() && !prefix.get().isTextual()) {
            problems.add("host.json extensions.http.routePrefix must be a string");
        }
        return prefix.map(JsonNode::asText).map(p -> p.replaceAll(RouteTemplate.SLASHES_AROUND, "")).orElse(DEFAULT_ROUTE_PREFIX);
    }

    private static void checkBindingNames(FunctionDefinition function, RouteTemplate template, StartupProblems problems) {
        Set<String> parameters = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        parameters.addAll(template.parameterNames());
        for (ParameterBinding.BindingData data : function.bindingData()) {
            if (!parameters.contains(data.name())) {
                problems.add(function.name(), "@BindingName(\"" + data.name() + "\") on parameter '" + data.parameterName()
                        + "' names no parameter of route '" + template.text() + "'");
            }
        }
    }

    private static void checkCollisions(List<Route> routes, Route added, StartupProblems problems) {
        for (Route existing : routes) {
            if (existing.template().shape().equals(added.template().shape())) {
                Set<HttpMethod> shared = EnumSet.copyOf(existing.methods());
                shared.retainAll(added.methods());
                if (!shared.isEmpty()) {
                    problems.add(added.function().name(), "route '" + added.template().text() + "' collides with function '"
                            + existing.function().name() + "' for " + shared);
                }
            }
        }
    }

    /**
     * The largest request body the host takes, as the Functions host reads it: the app setting
     * {@value #BODY_SIZE_LIMIT_SETTING} in bytes, else 104,857,600 (100 MB). Larger bodies get 413.
     */
    public static long maxRequestBytes(AppSettings settings, StartupProblems problems) {
        Optional<String> value = settings.get(BODY_SIZE_LIMIT_SETTING).map(String::strip);
        if (value.isEmpty()) {
            return DEFAULT_MAX_REQUEST_BYTES;
        }
        if (!value.get().matches("\\d{1,18}") || Long.parseLong(value.get()) == 0) {
            problems.add("app setting " + BODY_SIZE_LIMIT_SETTING + " must be a positive number of bytes");
            return DEFAULT_MAX_REQUEST_BYTES;
        }
        return Long.parseLong(value.get());
    }

    /** Starts serving on 127.0.0.1, over https when {@code tls} is given (else null); port 0 takes a free port. */
    public HttpFunctionServer start(int port, SSLContext tls, AccessKeys keys, Collection<String> functionNames, FunctionInvoker invoker,
            long maxRequestBytes, HttpOptions limits) {
        try {
            return new HttpFunctionServer(this, port, tls, new KeyCheck(keys, Set.copyOf(functionNames)), invoker, maxRequestBytes, limits);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** One line per function: methods, URL (as a template) and authorization level; {@code baseUri} ends with '/'. */
    public List<String> describe(URI baseUri) {
        return routes.stream()
                .map(route -> route.function().name() + ": "
                        + (route.binding().methods().isEmpty() ? "any method" : route.binding().methods().stream()
                                .map(HttpMethod::name).sorted().collect(Collectors.joining(",")))
                        + " " + baseUri + (routePrefix.isEmpty() ? "" : routePrefix + "/") + route.template().text()
                        + " (" + route.binding().authLevel().name().toLowerCase(Locale.ROOT) + ")")
                .toList();
    }

    /**
     * The path's decoded segments below the route prefix, or empty when the path is outside it.
     * Percent-escapes are decoded per segment, so an escaped '/' stays inside its segment.
     */
    Optional<List<String>> pathBelowPrefix(String rawPath) {
        String path = rawPath.replaceAll(RouteTemplate.SLASHES_AROUND, "");
        if (!routePrefix.isEmpty()) {
            if (path.equalsIgnoreCase(routePrefix)) {
                path = "";
            } else if (path.regionMatches(true, 0, routePrefix + "/", 0, routePrefix.length() + 1)) {
                path = path.substring(routePrefix.length() + 1);
            } else {
                return Optional.empty();
            }
        }
        if (path.isEmpty()) {
            return Optional.of(List.of());
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            segments.add(PercentDecoding.decode(segment));
        }
        return Optional.of(segments);
    }

    /** Every route that matches, most specific first. */
    List<Match> match(List<String> path) {
        List<Match> matches = new ArrayList<>();
        for (Route route : routes) {
            route.template().match(path).ifPresent(values -> matches.add(new Match(route, values)));
        }
        return matches;
    }
}
