package io.mailbridge.graph;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * Microsoft said no, or could not be asked: carries the {@link MicrosoftFailure} that says what it means. The message is
 * the failure's summary (status, code, Microsoft's message, request ids), never a token.
 */
public final class MicrosoftException extends RuntimeException {
    private final MicrosoftFailure failure;

    public MicrosoftException(MicrosoftFailure failure) {
        super(failure.summary());
        this.failure = failure;
    }

    public MicrosoftFailure failure() {
        return failure;
    }

    /** Microsoft's error code (or ours, for a failure found locally), for status pages and the CRM. */
    public String errorCode() {
        return failure.details().code();
    }

    /** Runs a Graph SDK call; Graph's error answers and network failures come out as a MicrosoftException. */
    public static <T> T calling(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw of(e);
        }
    }

    /**
     * What a Graph SDK call threw, as a MicrosoftException when it was Microsoft's failure (see
     * {@link MicrosoftFailure#ofGraphCall}); anything else is a bug and is thrown on as it is.
     */
    public static MicrosoftException of(RuntimeException e) {
        if (e instanceof MicrosoftException known) {
            return known;
        }
        return MicrosoftFailure.ofGraphCall(e, Clock.systemUTC()).map(MicrosoftException::new).orElseThrow(() -> e);
    }
}
