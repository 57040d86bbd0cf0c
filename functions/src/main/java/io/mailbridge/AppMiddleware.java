package io.mailbridge;

import com.microsoft.azure.functions.internal.spi.middleware.Middleware;
import com.microsoft.azure.functions.internal.spi.middleware.MiddlewareChain;
import com.microsoft.azure.functions.internal.spi.middleware.MiddlewareContext;

/**
 * What the Azure Functions Java worker loads (META-INF/services) to wrap every invocation: the shared app's
 * {@link App#middleware()}, so the worker and the local host run the same one.
 */
public final class AppMiddleware implements Middleware {

    @Override
    public void invoke(MiddlewareContext context, MiddlewareChain chain) throws Exception {
        AppInjector.shared().middleware().invoke(context, chain);
    }
}
