package io.mailbridge.contracts;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;

/** How a contract document is served: public, cacheable for a while (a deploy may change it), never sniffed as something else. */
final class ContractResponses {
    private ContractResponses() {}

    static HttpResponseMessage document(HttpRequestMessage<?> request, String contentType, String text) {
        return request.createResponseBuilder(HttpStatus.OK)
                .header("Content-Type", contentType + "; charset=utf-8")
                .header("Cache-Control", "public, max-age=300")
                .header("X-Content-Type-Options", "nosniff")
                .body(text)
                .build();
    }
}
