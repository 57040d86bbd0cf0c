package io.mailbridge.devhost.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The host's JSON mapper; it picks up modules on the classpath (java.time) for response bodies. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();

    private Json() {}
}
