package io.mailbridge.e2e.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns counted usage into a monthly bill at {@link AzurePrices}: pure arithmetic, so {@code CostModelTest} checks it.
 * Stated assumptions: a month is Azure's 730 hours; free grants are left out (they are per subscription, not per
 * mailbox); execution time is billed as the sum of the executions' durations times the instance memory, an upper bound
 * (executions running at once on one instance share its GB-s); every execution is billed at the on-demand rates.
 */
final class CostModel {
    static final double DAYS_PER_MONTH = 730 / 24.0;
    /** The host's two log lines per execution ("Executing", "Executed"), each an Application Insights trace. */
    static final int TRACES_PER_EXECUTION = 2;
    /** Assumed billed size of one Application Insights item (request, dependency, trace): not measured here. */
    static final double BYTES_PER_TELEMETRY_ITEM = 1_000;

    /** What Azure bills, counted over one day (or one run: the same arithmetic). */
    record Usage(double tableTransactions, double queueTransactions, double blobTransactions, double queueMessages,
            double executions, double executionSeconds, double graphRequests) {
        static final Usage NONE = new Usage(0, 0, 0, 0, 0, 0, 0);

        Usage plus(Usage other) {
            return new Usage(tableTransactions + other.tableTransactions, queueTransactions + other.queueTransactions,
                    blobTransactions + other.blobTransactions, queueMessages + other.queueMessages, executions + other.executions,
                    executionSeconds + other.executionSeconds, graphRequests + other.graphRequests);
        }

        Usage times(double factor) {
            return new Usage(tableTransactions * factor, queueTransactions * factor, blobTransactions * factor, queueMessages * factor,
                    executions * factor, executionSeconds * factor, graphRequests * factor);
        }

        /** Usage minus other, never below zero (a correction larger than what it corrects means nothing was there). */
        Usage minus(Usage other) {
            return new Usage(Math.max(0, tableTransactions - other.tableTransactions), Math.max(0, queueTransactions - other.queueTransactions),
                    Math.max(0, blobTransactions - other.blobTransactions), Math.max(0, queueMessages - other.queueMessages),
                    Math.max(0, executions - other.executions), Math.max(0, executionSeconds - other.executionSeconds),
                    Math.max(0, graphRequests - other.graphRequests));
        }

        /**
         * Application Insights items: per execution a request and the host's traces; per Graph request, table request and
         * queue message put, the Java agent's dependency. The app's own log lines are not counted.
         */
        double telemetryItems() {
            return executions * (1 + TRACES_PER_EXECUTION) + graphRequests + tableTransactions + queueMessages;
        }
    }

    /** The stamp as infra/main.bicep deploys it. */
    record Deployment(double instanceMemoryGb, int alwaysReadyInstances) {}

    /** One line of the monthly bill. */
    record Line(String item, double quantity, String unit, double usd) {}

    /** The monthly bill of one stamp serving {@code mailboxes}, each using {@code perMailbox} a day, the stamp {@code perStamp} a day. */
    static List<Line> monthly(Usage perMailbox, Usage perStamp, int mailboxes, Deployment deployment) {
        Usage month = perMailbox.times(mailboxes).plus(perStamp).times(DAYS_PER_MONTH);
        double gbSeconds = month.executionSeconds() * deployment.instanceMemoryGb();
        double baselineGbSeconds = deployment.alwaysReadyInstances() * deployment.instanceMemoryGb() * DAYS_PER_MONTH * 86_400;
        double gigabytes = month.telemetryItems() * BYTES_PER_TELEMETRY_ITEM / 1e9;
        List<Line> lines = new ArrayList<>();
        lines.add(line("executions", month.executions(), "executions", AzurePrices.FLEX_ON_DEMAND_EXECUTIONS));
        lines.add(line("execution time", gbSeconds, "GB-s", AzurePrices.FLEX_ON_DEMAND_EXECUTION_TIME));
        lines.add(line("always ready baseline (per stamp)", baselineGbSeconds, "GB-s", AzurePrices.FLEX_ALWAYS_READY_BASELINE));
        lines.add(line("table transactions", month.tableTransactions(), "transactions", AzurePrices.TABLE_TRANSACTIONS));
        lines.add(line("queue operations", month.queueTransactions(), "operations", AzurePrices.QUEUE_OPERATIONS));
        lines.add(line("blob operations", month.blobTransactions(), "operations", AzurePrices.BLOB_OPERATIONS));
        lines.add(line("Application Insights", gigabytes, "GB", AzurePrices.APPLICATION_INSIGHTS_INGESTION));
        lines.add(line("Graph requests", month.graphRequests(), "requests", AzurePrices.GRAPH_MAIL_REQUESTS));
        return lines;
    }

    static double total(List<Line> lines) {
        return lines.stream().mapToDouble(Line::usd).sum();
    }

    private static Line line(String item, double quantity, String unit, AzurePrices.Price price) {
        return new Line(item, quantity, unit, quantity * price.perUnit());
    }

    /**
     * How often an NCRONTAB schedule ({second} {minute} {hour} {day} {month} {day-of-week}) fires in a day: the product of
     * its second, minute and hour fields' counts. Day, month and day of week must be "*" (every schedule here is daily).
     */
    static int runsPerDay(String schedule) {
        String[] fields = schedule.trim().split("\\s+");
        if (fields.length != 6 || !fields[3].equals("*") || !fields[4].equals("*") || !fields[5].equals("*")) {
            throw new IllegalArgumentException("Not a daily six-field NCRONTAB schedule: '" + schedule + "'");
        }
        return values(fields[0], 60) * values(fields[1], 60) * values(fields[2], 24);
    }

    /** How many values of 0..range-1 a field takes: "*", "*&#47;n", "a", "a-b", "a-b/n" and lists of them. */
    private static int values(String field, int range) {
        boolean[] taken = new boolean[range];
        for (String part : field.split(",")) {
            String[] stepped = part.split("/");
            int step = stepped.length == 2 ? Integer.parseInt(stepped[1]) : 1;
            int from;
            int to;
            if (stepped[0].equals("*")) {
                from = 0;
                to = range - 1;
            } else if (stepped[0].contains("-")) {
                from = Integer.parseInt(stepped[0].substring(0, stepped[0].indexOf('-')));
                to = Integer.parseInt(stepped[0].substring(stepped[0].indexOf('-') + 1));
            } else {
                from = Integer.parseInt(stepped[0]);
                to = stepped.length == 2 ? range - 1 : from;
            }
            if (step < 1 || from < 0 || to >= range || from > to) {
                throw new IllegalArgumentException("Bad NCRONTAB field '" + field + "'");
            }
            for (int value = from; value <= to; value += step) {
                taken[value] = true;
            }
        }
        int count = 0;
        for (boolean value : taken) {
            count += value ? 1 : 0;
        }
        return count;
    }

    static String money(double usd) {
        return String.format(Locale.ROOT, usd < 10 ? "$%.2f" : "$%.0f", usd);
    }

    private CostModel() {}
}
