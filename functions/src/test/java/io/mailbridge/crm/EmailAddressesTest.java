package io.mailbridge.crm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressesTest {

    @Test
    void comparesAddressesTrimmedAndCaseInsensitively() {
        assertEquals(Optional.of("jane.doe@acme.example"), EmailAddresses.normalize("  Jane.Doe@ACME.example "));
        assertEquals(Optional.of("o'brien@acme.example"), EmailAddresses.normalize("O'Brien@acme.example"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "jane", "jane@", "@acme.example", "jane doe@acme.example", "<jane@acme.example>", "a@b@c.example"})
    void refusesWhatCannotBeAnAddress(String text) {
        assertEquals(Optional.empty(), EmailAddresses.normalize(text));
    }

    @Test
    void knowsTheAddressBehindAPlusTag() {
        assertEquals(Optional.of("jane@acme.example"), EmailAddresses.withoutPlusTag("jane+crm@acme.example"));
        assertEquals(Optional.empty(), EmailAddresses.withoutPlusTag("jane@acme.example"));
        assertEquals(Optional.empty(), EmailAddresses.withoutPlusTag("+jane@acme.example"));
        assertEquals(Optional.empty(), EmailAddresses.withoutPlusTag("jane@a+b.example"));
    }
}
