package io.mailbridge.sandbox;

/** A Microsoft Entra tenant of the sandbox; region is the CRM-side label of where its users live. */
public record SandboxTenant(String id, String displayName, String domain, String region) {
}
