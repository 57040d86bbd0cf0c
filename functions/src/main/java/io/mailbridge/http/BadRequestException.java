package io.mailbridge.http;

/** The caller sent input we cannot use; names the field so the caller can fix it. */
public final class BadRequestException extends RuntimeException {
    private final String field;

    public BadRequestException(String field, String detail) {
        super(detail);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
