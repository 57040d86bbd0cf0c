package io.mailbridge.sandbox.graph;

import io.mailbridge.sandbox.exchange.MailMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The $filter clauses on messages that the product needs, joined by "and": equality on
 * internetMessageId, conversationId, subject, isDraft and isRead; comparisons on receivedDateTime
 * and sentDateTime; and singleValueExtendedProperties/any(ep: ep/id eq '...' and ep/value eq '...').
 * Anything else is Graph's 400, so an unsupported filter is noticed rather than ignored.
 */
final class MessageFilter {
    private static final Pattern EXTENDED = Pattern.compile(
            "singleValueExtendedProperties/any\\(\\s*(\\w+)\\s*:\\s*\\1/id\\s+eq\\s+'((?:[^']|'')*)'\\s+and\\s+\\1/value\\s+eq\\s+'((?:[^']|'')*)'\\s*\\)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern COMPARISON = Pattern.compile("(\\w+)\\s+(eq|ne|ge|gt|le|lt)\\s+(.+)", Pattern.CASE_INSENSITIVE);

    private MessageFilter() {
    }

    static Predicate<MailMessage> parse(String filter) {
        if (filter == null || filter.isBlank()) {
            return message -> true;
        }
        Predicate<MailMessage> all = message -> true;
        for (String clause : splitOnAnd(filter.trim())) {
            all = all.and(clause(clause.trim()));
        }
        return all;
    }

    /** The lower bound of a receivedDateTime ge/gt filter: the only filter message delta takes. */
    static Instant receivedSince(String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        Matcher matcher = COMPARISON.matcher(filter.trim());
        if (matcher.matches() && matcher.group(1).equalsIgnoreCase("receivedDateTime")
                && (matcher.group(2).equalsIgnoreCase("ge") || matcher.group(2).equalsIgnoreCase("gt"))) {
            return Instant.parse(matcher.group(3).trim());
        }
        throw new IllegalArgumentException("Delta on messages supports only $filter=receivedDateTime ge {date}.");
    }

    private static Predicate<MailMessage> clause(String clause) {
        Matcher extended = EXTENDED.matcher(clause);
        if (extended.matches()) {
            String id = extended.group(2).replace("''", "'");
            String value = extended.group(3).replace("''", "'");
            return message -> message.extendedProperties().stream().anyMatch(p -> p.id().equalsIgnoreCase(id) && value.equals(p.value()));
        }
        Matcher comparison = COMPARISON.matcher(clause);
        if (!comparison.matches()) {
            throw new IllegalArgumentException("Invalid filter clause: " + clause);
        }
        String field = comparison.group(1);
        String operator = comparison.group(2).toLowerCase(Locale.ROOT);
        String operand = comparison.group(3).trim();
        switch (field.toLowerCase(Locale.ROOT)) {
            case "internetmessageid":
                return text(operator, operand, MailMessage::internetMessageId);
            case "conversationid":
                return text(operator, operand, MailMessage::conversationId);
            case "subject":
                return text(operator, operand, MailMessage::subject);
            case "isdraft":
                return flag(operator, operand, MailMessage::isDraft);
            case "isread":
                return flag(operator, operand, MailMessage::isRead);
            case "receiveddatetime":
                return time(operator, operand, MailMessage::receivedDateTime);
            case "sentdatetime":
                return time(operator, operand, MailMessage::sentDateTime);
            default:
                throw new IllegalArgumentException("The sandbox cannot filter messages on '" + field + "'.");
        }
    }

    private static Predicate<MailMessage> text(String operator, String operand, Function<MailMessage, String> property) {
        if (!operand.startsWith("'") || !operand.endsWith("'") || !(operator.equals("eq") || operator.equals("ne"))) {
            throw new IllegalArgumentException("Invalid filter clause: text compares with eq or ne to a quoted value");
        }
        String value = operand.substring(1, operand.length() - 1).replace("''", "'");
        Predicate<MailMessage> equal = message -> value.equals(property.apply(message));
        return operator.equals("eq") ? equal : equal.negate();
    }

    private static Predicate<MailMessage> flag(String operator, String operand, Predicate<MailMessage> property) {
        boolean value = Boolean.parseBoolean(operand);
        Predicate<MailMessage> equal = message -> property.test(message) == value;
        return operator.equals("eq") ? equal : equal.negate();
    }

    private static Predicate<MailMessage> time(String operator, String operand, Function<MailMessage, Instant> property) {
        Instant value = Instant.parse(operand);
        return message -> {
            Instant actual = property.apply(message);
            if (actual == null) {
                return false;
            }
            int order = actual.compareTo(value);
            return switch (operator) {
                case "eq" -> order == 0;
                case "ne" -> order != 0;
                case "ge" -> order >= 0;
                case "gt" -> order > 0;
                case "le" -> order <= 0;
                default -> order < 0;
            };
        };
    }

    /** Splits on " and " outside parentheses and quotes. */
    private static List<String> splitOnAnd(String filter) {
        List<String> clauses = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < filter.length(); i++) {
            char c = filter.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && filter.regionMatches(true, i, " and ", 0, 5)) {
                clauses.add(filter.substring(start, i));
                start = i + 5;
                i += 4;
            }
        }
        clauses.add(filter.substring(start));
        return clauses;
    }
}
