package io.mailbridge.bcc;

import io.mailbridge.inbound.MailDelivery;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.mailbridge.http.Headers;
import io.mailbridge.http.Problems;
import io.mailbridge.http.Responses;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * POST /api/bcc/mail: one raw mail from the inbound mail gateway, for one BCC address. The gateway
 * sends, per accepted envelope recipient:
 * <ul>
 * <li>{@code Content-Type: message/rfc822}, and the mail as received, byte for byte, as the body;</li>
 * <li>{@value #GATEWAY_SECRET} with the shared gateway secret (MAILBRIDGE_BCC_GATEWAY_SECRET);</li>
 * <li>{@value #ENVELOPE_RECIPIENT} with the one SMTP envelope recipient (RCPT TO) it accepted the mail
 *     for, with or without angle brackets. A BCC'd address is in no header of the mail, so this is how
 *     the mail finds its account; without it the mail's Delivered-To / X-Original-To headers are used.</li>
 * </ul>
 * Answers: 202 delivered to the CRM, 200 delivered before or no prospect in it (nothing to do), 503
 * with Retry-After while another request of the same mail is delivering it, 400
 * no recipient, 401 wrong secret, 404 no connection has the address, 413 too large, 415 not
 * message/rfc822, 422 an empty (no bytes or only whitespace) or malformed mail; problems as RFC 9457
 * JSON. Any 2xx means the gateway is done with the mail; a 5xx means try again; a 4xx, do not retry
 * (README: "The BCC gateway contract"). Anonymous to the Functions host: the gateway secret authenticates it. The body is bound as bytes (dataType binary), so mail in any charset arrives intact;
 * the secret and the declared Content-Length are checked before the body is touched (in Azure the host
 * has read it by then, up to FUNCTIONS_REQUEST_BODY_SIZE_LIMIT; the local host reads it on first use).
 */
public final class BccIngestFunction {
    public static final String GATEWAY_SECRET = "X-Mailbridge-Gateway-Secret";
    public static final String ENVELOPE_RECIPIENT = "X-Envelope-Recipient";

    private final BccIngest ingest;

    public BccIngestFunction(BccIngest ingest) {
        this.ingest = ingest;
    }

    @FunctionName("bccIngest")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "bcc/mail", dataType = "binary") HttpRequestMessage<Optional<byte[]>> request) {
        Map<String, String> headers = request.getHeaders();
        // The body is handed over as a supplier: the secret and the declared length are checked before it is touched.
        BccOutcome outcome = ingest.receive(new BccSubmission(Headers.value(headers, GATEWAY_SECRET), Headers.value(headers, "Content-Type"),
                Headers.value(headers, ENVELOPE_RECIPIENT), Headers.contentLength(headers), () -> request.getBody().orElse(new byte[0])));
        return response(request, outcome);
    }

    private static HttpResponseMessage response(HttpRequestMessage<?> request, BccOutcome outcome) {
        return switch (outcome) {
            case BccOutcome.Accepted(MailDelivery.Outcome delivery) -> Responses.json(request,
                    delivery == MailDelivery.Outcome.DELIVERED ? HttpStatus.ACCEPTED : HttpStatus.OK, Map.of("outcome", delivery.name()));
            case BccOutcome.Unauthenticated unauthenticated -> Problems.of(request, HttpStatus.UNAUTHORIZED, "Not the mail gateway",
                    GATEWAY_SECRET + " is missing or wrong", GATEWAY_SECRET);
            case BccOutcome.NotRfc822 notRfc822 -> Problems.of(request, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Not a mail",
                    "Send the raw mail as Content-Type message/rfc822", "Content-Type");
            case BccOutcome.TooLarge(long maxBytes) -> Problems.of(request, HttpStatus.PAYLOAD_TOO_LARGE, "Mail too large",
                    "The mail has more than " + maxBytes + " bytes");
            case BccOutcome.NoRecipient noRecipient -> Problems.of(request, HttpStatus.BAD_REQUEST, "No recipient", "Send "
                    + ENVELOPE_RECIPIENT + " with the envelope recipient; the mail has no Delivered-To or X-Original-To header either",
                    ENVELOPE_RECIPIENT);
            case BccOutcome.TryLater(Duration after) -> Problems.tryLater(request, after, "Being delivered",
                    "The same mail is being delivered by another request; post it again after Retry-After if it was not this one");
            case BccOutcome.UnknownAddress unknown ->
                    Problems.of(request, HttpStatus.NOT_FOUND, "Unknown address", "No connected mailbox has this BCC address");
            case BccOutcome.Malformed(String problem) -> Problems.of(request, HttpStatus.UNPROCESSABLE_ENTITY, "Malformed mail", problem);
        };
    }
}
