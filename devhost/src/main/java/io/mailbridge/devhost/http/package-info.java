/**
 * HTTP triggers: routes, keys, the request and response a function sees, and the server. Internal
 * to the devhost, except {@link io.mailbridge.devhost.http.AccessKeys}, which callers hand to
 * {@code DevHost.Builder.keys}.
 */
package io.mailbridge.devhost.http;
