package io.mailbridge.devhost.runtime;

import com.microsoft.azure.functions.ExecutionContext;
import java.util.logging.Logger;

/** The {@link ExecutionContext} of one invocation, with a java.util.logging logger named after the function. */
record FunctionContext(String invocationId, String functionName) implements ExecutionContext {

    @Override
    public Logger getLogger() {
        return Logger.getLogger("Function." + functionName);
    }

    @Override
    public String getInvocationId() {
        return invocationId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }
}
