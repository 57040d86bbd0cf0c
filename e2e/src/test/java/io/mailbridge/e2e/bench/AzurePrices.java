package io.mailbridge.e2e.bench;

import java.util.List;

/**
 * The Azure list prices the cost benchmark ({@link CostBenchmark}) turns counts into money with: the one place they
 * are kept (docs/cost.md and the README point here). USD, pay-as-you-go, each with where it was read and whether that
 * source is Microsoft's. Microsoft's pricing pages (azure.microsoft.com/pricing) have no stored copy here, so a price
 * only a third party quotes says so, and one no stored page gives says "not confirmed here": its value is the
 * pricing page as remembered, to be checked on the page before anyone quotes the figure.
 */
final class AzurePrices {
    /** Where and when a price was read, and how far to trust it. */
    record Price(String item, double usd, String per, String source, String status) {
        /** The price of one unit (one execution, one GB-s, one transaction). */
        double perUnit() {
            return usd / unitsIn(per);
        }

        private static double unitsIn(String per) {
            return per.startsWith("1,000,000 ") ? 1_000_000 : per.startsWith("10,000 ") ? 10_000 : 1;
        }
    }

    private static final String READ = "read 2026-12-03";
    private static final String MICROSOFT_PRICING_PAGE_MISSING = "not confirmed here: no stored copy of Microsoft's pricing page";

    static final Price FLEX_ON_DEMAND_EXECUTION_TIME = new Price("Flex Consumption, on-demand execution time", 0.000026, "GB-s",
            "modal.com/blog/azure-function-pricing-guide (2025-05-22), quoting the Azure Functions pricing page; " + READ,
            "third party only");
    static final Price FLEX_ON_DEMAND_EXECUTIONS = new Price("Flex Consumption, on-demand executions", 0.40, "1,000,000 executions",
            "the same article, cut off in the stored copy before this figure; " + READ, MICROSOFT_PRICING_PAGE_MISSING);
    static final Price FLEX_ALWAYS_READY_BASELINE = new Price("Flex Consumption, always ready baseline", 0.000004, "GB-s",
            "learn.microsoft.com/azure/azure-functions/functions-consumption-costs (billing modes: a baseline per always ready "
                    + "GB-s, no free grant; the price itself is on the pricing page); " + READ,
            MICROSOFT_PRICING_PAGE_MISSING);
    static final Price TABLE_TRANSACTIONS = new Price("Table storage transactions (LRS)", 0.00036, "10,000 transactions",
            "none stored; " + READ, MICROSOFT_PRICING_PAGE_MISSING);
    static final Price QUEUE_OPERATIONS = new Price("Queue storage operations (GPv2, LRS; class 1 and 2 alike)", 0.004,
            "10,000 operations", "none stored; " + READ, MICROSOFT_PRICING_PAGE_MISSING);
    static final Price BLOB_OPERATIONS = new Price("Blob storage operations (hot, LRS; every operation at the write price)", 0.065,
            "10,000 operations", "none stored; " + READ, MICROSOFT_PRICING_PAGE_MISSING);
    static final Price APPLICATION_INSIGHTS_INGESTION = new Price("Application Insights (Log Analytics Analytics Logs) ingestion",
            2.30, "GB", "monitoringcost.com/azure-monitor-cost (2026; first 5 GB per workspace and month free); billing basis: "
                    + "learn.microsoft.com/azure/azure-monitor/logs/cost-logs (per ingested GB of 10^9 bytes); " + READ,
            "third party only");
    static final Price GRAPH_MAIL_REQUESTS = new Price("Microsoft Graph mail requests", 0, "request",
            "learn.microsoft.com/graph/metered-api-overview (standard APIs come with the user's licence) and "
                    + "learn.microsoft.com/graph/metered-api-list (only SharePoint/OneDrive assignSensitivityLabel is metered); " + READ,
            "confirmed (Microsoft Learn)");

    static final List<Price> ALL = List.of(FLEX_ON_DEMAND_EXECUTIONS, FLEX_ON_DEMAND_EXECUTION_TIME, FLEX_ALWAYS_READY_BASELINE,
            TABLE_TRANSACTIONS, QUEUE_OPERATIONS, BLOB_OPERATIONS, APPLICATION_INSIGHTS_INGESTION, GRAPH_MAIL_REQUESTS);

    private AzurePrices() {}
}
