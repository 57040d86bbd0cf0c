package io.mailbridge.bcc;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * What the inbound mail gateway sent with one mail: the headers that matter, as the request carried
 * them, and the raw mail, byte for byte, read only when asked for, so that a request refused on its
 * headers costs no more than its headers where the host lets the body wait.
 *
 * @param gatewaySecret the gateway's shared secret
 * @param contentType the request's media type, message/rfc822 for a mail
 * @param envelopeRecipient the SMTP envelope recipient (RCPT TO) the gateway accepted the mail for
 * @param declaredLength the request's Content-Length, when it declared one
 * @param mail the raw RFC 822 mail; empty when the request had no body
 */
public record BccSubmission(Optional<String> gatewaySecret, Optional<String> contentType, Optional<String> envelopeRecipient,
        OptionalLong declaredLength, Supplier<byte[]> mail) {}
