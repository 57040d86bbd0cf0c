/**
 * The host's core, shared by its triggers: finding and indexing function methods, app settings
 * and host.json, storage connections, and invoking a function through the injector. Internal to
 * the devhost (public only because the trigger packages use it), except {@link
 * io.mailbridge.devhost.runtime.HostStartupException}, which {@code DevHost.Builder.start()} throws.
 */
package io.mailbridge.devhost.runtime;
