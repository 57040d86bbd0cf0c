package io.mailbridge.sandbox.exchange;

/** One internetMessageHeader. */
public record MessageHeader(String name, String value) {
}
