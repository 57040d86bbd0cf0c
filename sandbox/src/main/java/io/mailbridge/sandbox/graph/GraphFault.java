package io.mailbridge.sandbox.graph;

import java.time.Duration;

/** A failure to answer a mailbox's next Graph requests with, injected by tests or the control API. */
public sealed interface GraphFault {

    /** 429 TooManyRequests with Retry-After written in the given form, as in a throttling storm. */
    record Throttled(Duration retryAfter, RetryAfterForm form) implements GraphFault {
        public Throttled(Duration retryAfter) {
            this(retryAfter, RetryAfterForm.SECONDS);
        }
    }

    /** A 5xx from Graph or Exchange (500, 502, 503 or 504). */
    record ServerError(int status) implements GraphFault {
    }
}
