package io.mailbridge.devhost.runtime;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import java.util.Set;

/** What starts a function, with every %SETTING% already resolved. */
public sealed interface TriggerBinding {

    /** {@code route} is the template without the route prefix; {@code methods} empty means every method. */
    record Http(String route, Set<HttpMethod> methods, AuthorizationLevel authLevel, RequestBody body)
            implements TriggerBinding {
        public Http {
            methods = Set.copyOf(methods);
        }
    }

    /** {@code connection} names the app setting that holds the storage connection string. */
    record Queue(String queueName, String connection, MessageType messageType) implements TriggerBinding {}

    /** {@code schedule} is an NCRONTAB expression or a TimeSpan. */
    record Timer(String schedule, boolean runOnStartup, boolean useMonitor) implements TriggerBinding {}

    /** The type argument of the function's {@code HttpRequestMessage<T>}. */
    enum RequestBody {
        STRING,
        BYTES,
        OPTIONAL_STRING,
        OPTIONAL_BYTES
    }

    /** The queue trigger parameter's type. */
    enum MessageType {
        STRING,
        BYTES
    }
}
