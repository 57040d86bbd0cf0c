package io.mailbridge.devhost.http;

import com.sun.net.httpserver.HttpExchange;
import io.mailbridge.devhost.runtime.TriggerBinding;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request's body, read from the connection the first time the function asks for it and at most
 * {@code limit} bytes of it (the host's FUNCTIONS_REQUEST_BODY_SIZE_LIMIT), counted as they arrive, so
 * a chunked body cannot pass the limit either. A function that refuses a request on its headers never
 * waits for its body. (Azure's host reads the body before the worker sees the request; there the
 * app setting is what bounds it.)
 */
final class RequestBody<T> implements Supplier<T> {
    private static final Pattern CHARSET = Pattern.compile("(?i)charset\\s*=\\s*\"?([^\";\\s]+)");

    /** Thrown to the function that asks for a body over the limit; the server answers 413 for it. */
    static final class TooLargeException extends RuntimeException {
        TooLargeException(long limit) {
            super("The request body has more than " + limit + " bytes (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT)");
        }
    }

    private final TriggerBinding.RequestBody type;
    private final HttpExchange exchange;
    private final long limit;
    private final OptionalLong declaredLength;
    private boolean read;
    private boolean tooLarge;
    private T body;

    /** @param declaredLength the request's Content-Length, when it declared one (the JDK server ends the body there) */
    RequestBody(TriggerBinding.RequestBody type, HttpExchange exchange, long limit, OptionalLong declaredLength) {
        this.type = type;
        this.exchange = exchange;
        this.limit = limit;
        this.declaredLength = declaredLength;
    }

    /** The body of the function's declared type; an empty body is absent, as the worker passes it. */
    @Override
    public synchronized T get() {
        if (tooLarge) {
            throw new TooLargeException(limit);
        }
        if (!read) {
            body = convert(readAtMostLimit());
            read = true;
        }
        return body;
    }

    /** Whether a read stopped at the limit: the request deserves a 413 whatever the function made of it. */
    synchronized boolean wasTooLarge() {
        return tooLarge;
    }

    private byte[] readAtMostLimit() {
        try (InputStream in = exchange.getRequestBody()) {
            // One byte past the limit tells an oversized body from one of exactly the limit. A declared length bounds the
            // first buffer too: readNBytes allocates 16 KiB up front for any larger count, on every small webhook POST.
            long expected = Math.min(declaredLength.orElse(limit), limit);
            byte[] bytes = in.readNBytes((int) Math.min(expected + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > limit) {
                tooLarge = true;
                throw new TooLargeException(limit);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the request body", e);
        }
    }

    @SuppressWarnings("unchecked")
    private T convert(byte[] bytes) {
        boolean empty = bytes.length == 0;
        Object converted = switch (type) {
            case BYTES -> empty ? null : bytes;
            case OPTIONAL_BYTES -> empty ? Optional.empty() : Optional.of(bytes);
            case OPTIONAL_STRING -> empty ? Optional.empty() : Optional.of(new String(bytes, charset()));
            default -> empty ? null : new String(bytes, charset());
        };
        return (T) converted;
    }

    /** The request's declared charset, else UTF-8. */
    private Charset charset() {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null) {
            Matcher m = CHARSET.matcher(contentType);
            if (m.find() && Charset.isSupported(m.group(1))) {
                return Charset.forName(m.group(1));
            }
        }
        return StandardCharsets.UTF_8;
    }
}
