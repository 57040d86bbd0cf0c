package io.mailbridge.devhost.runtime;

/** How one invocation ended: the method's return value, or the failure the host logged. */
public record InvocationResult(String invocationId, Object returnValue, Throwable failure) {

    public boolean succeeded() {
        return failure == null;
    }
}
