package io.mailbridge.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CostModelTest {
    private static final double MONTH = 730 / 24.0;

    @Test
    void aMonthOfPerMailboxUsageIsPricedLineByLine() {
        // One mailbox's day: 1,000 table transactions, 500 queue operations, 10 blob operations, 20 messages,
        // 100 executions taking 50 s in all, 30 Graph requests.
        CostModel.Usage day = new CostModel.Usage(1_000, 500, 10, 20, 100, 50, 30);
        Map<String, CostModel.Line> bill = byItem(CostModel.monthly(day, CostModel.Usage.NONE, 1_000, new CostModel.Deployment(2, 0)));

        assertEquals(1_000 * 100 * MONTH, bill.get("executions").quantity(), 1e-6);
        assertEquals(1_000 * 100 * MONTH * 0.40 / 1_000_000, bill.get("executions").usd(), 1e-9);
        assertEquals(1_000 * 50 * MONTH * 2, bill.get("execution time").quantity(), 1e-6);
        assertEquals(1_000 * 50 * MONTH * 2 * 0.000026, bill.get("execution time").usd(), 1e-9);
        assertEquals(1_000 * 1_000 * MONTH * 0.00036 / 10_000, bill.get("table transactions").usd(), 1e-9);
        assertEquals(1_000 * 500 * MONTH * 0.004 / 10_000, bill.get("queue operations").usd(), 1e-9);
        assertEquals(1_000 * 10 * MONTH * 0.065 / 10_000, bill.get("blob operations").usd(), 1e-9);
        // Items: 100 executions x (request + 2 traces) + 30 Graph + 1,000 table + 20 messages = 1,350 a day, 1 KB each.
        assertEquals(1_000 * 1_350 * MONTH * 1_000 / 1e9, bill.get("Application Insights").quantity(), 1e-9);
        assertEquals(1_000 * 1_350 * MONTH * 1_000 / 1e9 * 2.30, bill.get("Application Insights").usd(), 1e-9);
        assertEquals(0, bill.get("Graph requests").usd());
        assertEquals(0, bill.get("always ready baseline (per stamp)").usd());
    }

    @Test
    void theStampsOwnUsageAndBaselineAreCountedOncePerStampNotPerMailbox() {
        CostModel.Usage stamp = new CostModel.Usage(0, 1_440, 0, 0, 0, 0, 0);
        Map<String, CostModel.Line> bill = byItem(CostModel.monthly(CostModel.Usage.NONE, stamp, 1_000, new CostModel.Deployment(2, 1)));

        assertEquals(1_440 * MONTH * 0.004 / 10_000, bill.get("queue operations").usd(), 1e-9);
        assertEquals(2 * MONTH * 86_400, bill.get("always ready baseline (per stamp)").quantity(), 1e-6);
        assertEquals(2 * MONTH * 86_400 * 0.000004, bill.get("always ready baseline (per stamp)").usd(), 1e-9);
        assertEquals(bill.values().stream().mapToDouble(CostModel.Line::usd).sum(), CostModel.total(List.copyOf(bill.values())), 1e-12);
    }

    @Test
    void runsPerDayFollowTheSchedule() {
        assertEquals(144, CostModel.runsPerDay("0 */10 * * * *"));
        assertEquals(288, CostModel.runsPerDay("0 */5 * * * *"));
        assertEquals(24, CostModel.runsPerDay("0 17 * * * *"));
        assertEquals(1, CostModel.runsPerDay("0 0 2 * * *"));
        assertEquals(4 * 24, CostModel.runsPerDay("0 0,15,30-59/15 * * * *"));
        assertThrows(IllegalArgumentException.class, () -> CostModel.runsPerDay("0 0 2 1 * *"));
        assertThrows(IllegalArgumentException.class, () -> CostModel.runsPerDay("0 */10 * * *"));
    }

    private static Map<String, CostModel.Line> byItem(List<CostModel.Line> lines) {
        return lines.stream().collect(Collectors.toMap(CostModel.Line::item, Function.identity()));
    }
}
