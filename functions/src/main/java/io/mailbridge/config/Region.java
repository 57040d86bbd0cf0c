package io.mailbridge.config;

/** The regions the product is deployed in, one stamp each; mail data stays in its stamp's region. */
public enum Region {
    US,
    EU,
    AU
}
