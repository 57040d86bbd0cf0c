package io.mailbridge.outbound;

/** How a CRM mail leaves: through the user's Microsoft 365 mailbox (Graph), or through the CRM's custom SMTP relay. */
public enum Transport {
    MAILBOX,
    SMTP
}
