package io.mailbridge.crm;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import io.mailbridge.Sha256;
import io.mailbridge.http.BadRequestException;
import io.mailbridge.http.Problems;
import io.mailbridge.storage.FirstUses;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The frame of every CRM API call: the CRM's signature first, then (for a call that changes
 * something) that the signature has not been used before, then the call, bad input as a 400 problem.
 */
public final class CrmApi {
    /** A captured GET changes nothing when replayed; these would (a replayed DELETE disconnects a reconnected mailbox). */
    private static final Set<HttpMethod> MUTATING = EnumSet.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    private final CrmRequestSignature signature;
    private final FirstUses usedSignatures;

    public CrmApi(CrmRequestSignature signature, FirstUses usedSignatures) {
        this.signature = signature;
        this.usedSignatures = usedSignatures;
    }

    public HttpResponseMessage handle(HttpRequestMessage<Optional<String>> request, Supplier<HttpResponseMessage> call) {
        return switch (signature.check(request)) {
            case CrmRequestSignature.Verdict.Refused(String reason) ->
                    Problems.of(request, HttpStatus.UNAUTHORIZED, "Not signed by the CRM", reason);
            case CrmRequestSignature.Verdict.Signed signed -> handleSigned(request, signed, call);
        };
    }

    private HttpResponseMessage handleSigned(HttpRequestMessage<Optional<String>> request, CrmRequestSignature.Verdict.Signed signed,
            Supplier<HttpResponseMessage> call) {
        // Claimed only once verified, so unsigned junk cannot fill the table; remembered while the timestamp is accepted.
        if (MUTATING.contains(request.getHttpMethod()) && !usedSignatures.claim(sha256Hex(signed.mac()), signed.acceptedUntil())) {
            return Problems.of(request, HttpStatus.CONFLICT, "Request already served",
                    "This signed " + request.getHttpMethod().name() + " was already used: each POST, PUT, PATCH or DELETE is served"
                            + " once, so sign a retry again with a fresh X-Mailbridge-Timestamp");
        }
        try {
            return call.get();
        } catch (BadRequestException e) {
            return Problems.of(request, HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(), e.field());
        }
    }

    public static HttpResponseMessage mailboxNotFound(HttpRequestMessage<?> request, String accountId, String userId) {
        return Problems.of(request, HttpStatus.NOT_FOUND, "No such mailbox",
                "The CRM account " + accountId + " has no mailbox connection for user " + userId);
    }

    /** The key a used signature is remembered by: a hash, so the table never holds a valid signature. */
    private static String sha256Hex(byte[] mac) {
        return Sha256.hex(mac);
    }
}
