package io.mailbridge.devhost.queue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** How a queue message's text carries its bytes (host.json extensions.queues.messageEncoding). */
public enum MessageEncoding {
    BASE64 {
        @Override
        Optional<byte[]> decode(String text) {
            try {
                return Optional.of(Base64.getDecoder().decode(text));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    },
    NONE {
        @Override
        Optional<byte[]> decode(String text) {
            return Optional.of(text.getBytes(StandardCharsets.UTF_8));
        }
    };

    /** Empty when the text is not in this encoding: the host moves such a message to the poison queue. */
    abstract Optional<byte[]> decode(String text);
}
