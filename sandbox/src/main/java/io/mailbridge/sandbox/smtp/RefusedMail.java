package io.mailbridge.sandbox.smtp;

/** A message the relay read in full but answered with a fault, so it was not delivered. */
public record RefusedMail(RelayedMail mail, SmtpFault fault) {}
