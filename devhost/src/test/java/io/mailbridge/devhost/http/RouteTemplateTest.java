package io.mailbridge.devhost.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTemplateTest {

    private static Optional<Map<String, String>> match(String template, String path) {
        return RouteTemplate.parse(template).match(path.isEmpty() ? List.of() : List.of(path.split("/", -1)));
    }

    @Test
    void literalsMatchWithoutRegardToCase() {
        assertEquals(Optional.of(Map.of()), match("mailboxes/status", "Mailboxes/STATUS"));
        assertEquals(Optional.empty(), match("mailboxes/status", "mailboxes"));
        assertEquals(Optional.empty(), match("mailboxes/status", "mailboxes/status/extra"));
    }

    @Test
    void parametersTakeOneNonEmptySegment() {
        assertEquals(Optional.of(Map.of("id", "42")), match("mailboxes/{id}", "mailboxes/42"));
        assertEquals(Optional.empty(), match("mailboxes/{id}", "mailboxes/"));
        assertEquals(Optional.empty(), match("mailboxes/{id}", "mailboxes"));
    }

    @Test
    void optionalParametersMayBeAbsentAtTheEnd() {
        assertEquals(Optional.of(Map.of()), match("a/{b?}/{c?}", "a"));
        assertEquals(Optional.of(Map.of("b", "1")), match("a/{b?}/{c?}", "a/1"));
        assertEquals(Optional.of(Map.of("b", "1", "c", "2")), match("a/{b?}/{c?}", "a/1/2"));
        assertThrows(IllegalArgumentException.class, () -> RouteTemplate.parse("a/{b?}/c"));
    }

    @Test
    void constraintsFilterValues() {
        assertEquals(Optional.of(Map.of("id", "-7")), match("x/{id:int}", "x/-7"));
        assertEquals(Optional.empty(), match("x/{id:int}", "x/7.5"));
        assertEquals(Optional.of(Map.of("id", "3")), match("x/{id:int:range(1,5)}", "x/3"));
        assertEquals(Optional.empty(), match("x/{id:int:range(1,5)}", "x/6"));
        assertEquals(Optional.of(Map.of("code", "AB12")), match("x/{code:regex(^[A-Z]{{2}}\\d+$)}", "x/AB12"));
        assertEquals(Optional.empty(), match("x/{code:regex(^[A-Z]{{2}}\\d+$)}", "x/A12"));
        assertEquals(Optional.of(Map.of("id", "5")), match("x/{id:int?}", "x/5"));
        assertEquals(Optional.of(Map.of()), match("x/{id:int?}", "x"));
    }

    @Test
    void aCatchAllTakesTheRestIncludingNothing() {
        assertEquals(Optional.of(Map.of("rest", "a/b/c")), match("files/{*rest}", "files/a/b/c"));
        assertEquals(Optional.of(Map.of("rest", "a/b")), match("files/{**rest}", "files/a/b"));
        assertEquals(Optional.of(Map.of()), match("files/{*rest}", "files"));
        assertThrows(IllegalArgumentException.class, () -> RouteTemplate.parse("files/{*rest}/more"));
        assertThrows(IllegalArgumentException.class, () -> RouteTemplate.parse("files/{*rest?}"));
    }

    @Test
    void slashesAroundTheTemplateDoNotMatter() {
        assertEquals("a/{b}", RouteTemplate.parse("/a/{b}/").text());
        assertEquals("a", RouteTemplate.parse("~/a").text());
        assertEquals(Set.of("b"), RouteTemplate.parse("/a/{b}/").parameterNames());
    }

    @Test
    void refusesWhatItCannotMatchFaithfully() {
        for (String template : List.of("a//b", "a/{id}{name}", "file-{name}", "a/{id=5}", "a/{id}/{ID}", "a/{id:nope}", "a?b", "a/{}")) {
            assertThrows(IllegalArgumentException.class, () -> RouteTemplate.parse(template), template);
        }
    }

    @Test
    void literalsComeBeforeConstrainedParametersBeforeParametersBeforeCatchAlls() {
        List<RouteTemplate> routes = new ArrayList<>(List.of(
                RouteTemplate.parse("items/{*rest}"),
                RouteTemplate.parse("items/{id}"),
                RouteTemplate.parse("items/{id:int}"),
                RouteTemplate.parse("items/latest")));
        routes.sort(RouteTemplate.BY_PRECEDENCE);

        assertEquals(List.of("items/latest", "items/{id:int}", "items/{id}", "items/{*rest}"), routes.stream().map(RouteTemplate::text).toList());
    }

    @Test
    void templatesOfOneShapeDifferOnlyInParameterNames() {
        assertEquals(RouteTemplate.parse("Items/{id:int}").shape(), RouteTemplate.parse("items/{key:int}").shape());
        assertTrue(!RouteTemplate.parse("items/{id:int}").shape().equals(RouteTemplate.parse("items/{id}").shape()));
    }
}
