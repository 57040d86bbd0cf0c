package io.mailbridge.sandbox.exchange;

/** A mail address with its display name, as Graph's recipient/emailAddress. */
public record Recipient(String name, String address) {

    public static Recipient of(String address) {
        return new Recipient(address, address);
    }
}
