package io.mailbridge.storage;

/** A value as read from a table, with the ETag that a later conditional write must match. */
public record Stored<T>(T value, String etag) {}
