package io.mailbridge.sandbox.smtp;

/** One header of a relayed message: its name as sent and its value unfolded (not decoded). */
public record MailHeader(String name, String value) {}
