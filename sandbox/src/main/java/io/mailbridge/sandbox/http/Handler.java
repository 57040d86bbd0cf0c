package io.mailbridge.sandbox.http;

/** Answers one request; the server maps path prefixes to handlers. */
@FunctionalInterface
public interface Handler {
    Response handle(Request request);
}
