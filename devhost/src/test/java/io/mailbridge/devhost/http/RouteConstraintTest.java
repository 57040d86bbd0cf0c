package io.mailbridge.devhost.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RouteConstraintTest {

    @ParameterizedTest
    @CsvSource({
            "int, 2147483647, true", "int, 2147483648, false", "int, -3, true", "int, 1e3, false",
            "long, 9223372036854775807, true", "long, 12x, false",
            "bool, TRUE, true", "bool, yes, false",
            "guid, 0f8fad5b-d9cb-469f-a165-70867728950e, true", "guid, 0f8fad5bd9cb469fa16570867728950e, true",
            "guid, {0f8fad5b-d9cb-469f-a165-70867728950e}, true", "guid, 0f8fad5b-d9cb-469f-a165, false",
            "alpha, abcXYZ, true", "alpha, abc1, false", "alpha, é, false",
            "double, -1.5e3, true", "decimal, 12.50, true", "float, abc, false",
            "datetime, 2024-02-29, true", "datetime, 2024-02-29T10:15:30, true", "datetime, 2024-02-30, false",
            "min(10), 10, true", "min(10), 9, false", "max(10), 11, false",
            "'range(1,3)', 2, true", "'range(1,3)', 4, false",
            "minlength(3), abc, true", "minlength(3), ab, false", "maxlength(2), abc, false",
            "length(3), abc, true", "'length(2,3)', abcd, false",
            "'regex(^\\d{3}$)', 123, true", "'regex(^\\d{3}$)', 1234, false", "regex(b), ABC, true",
            "required, x, true"})
    void acceptsWhatAspNetCoreAccepts(String constraint, String value, boolean accepted) {
        RouteConstraint parsed = RouteConstraint.parse(constraint);
        if (accepted) {
            assertTrue(parsed.accepts(value), constraint + " should accept " + value);
        } else {
            assertFalse(parsed.accepts(value), constraint + " should refuse " + value);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"colour", "int(3)", "min", "min(x)", "range(1)", "regex()", "1int"})
    void refusesUnknownOrMalformedConstraints(String constraint) {
        assertThrows(IllegalArgumentException.class, () -> RouteConstraint.parse(constraint));
    }
}
