package io.mailbridge.devhost.timer;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobStorageException;
import io.mailbridge.devhost.runtime.Failures;
import io.mailbridge.devhost.runtime.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Keeps timer schedule status where the host keeps it, in the host storage's
 * {@code azure-webjobs-hosts/timers/<hostId>/<timerName>/status} blob, so that a host started after
 * a missed occurrence runs it once, past due.
 */
final class ScheduleMonitor {
    static final String CONTAINER = "azure-webjobs-hosts";
    private static final Logger LOG = Logger.getLogger(ScheduleMonitor.class.getName());

    private final BlobContainerClient container;
    private final String hostId;

    ScheduleMonitor(BlobContainerClient container, String hostId) {
        this.container = container;
        this.hostId = hostId;
    }

    /** What the start-up check found: the status to continue from (empty when none was stored), and whether an occurrence was missed. */
    record PastDueCheck(Optional<ScheduleStatus> status, boolean pastDue) {}

    static String blobName(String hostId, String timerName) {
        return "timers/" + hostId + "/" + timerName + "/status";
    }

    Optional<ScheduleStatus> read(String timerName) {
        BlobClient blob = container.getBlobClient(blobName(hostId, timerName));
        try {
            return Optional.of(ScheduleStatus.fromJson(Json.MAPPER.readTree(blob.downloadContent().toBytes())));
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("The schedule status of " + timerName + " is not JSON", e);
        }
    }

    /** Best effort, as in the host: a failed write is logged and the timer keeps its schedule. */
    void write(String timerName, ScheduleStatus status) {
        try {
            container.createIfNotExists();
            container.getBlobClient(blobName(hostId, timerName)).upload(BinaryData.fromString(status.toJson().toString()), true);
        } catch (RuntimeException e) {
            LOG.warning(() -> "Function '" + timerName + "' failed to update the timer trigger status: " + Failures.describe(e));
        }
    }

    /**
     * The host's check at start (ScheduleMonitor.CheckPastDueAsync): a first start records the next
     * occurrence; a changed schedule is recorded afresh (never past due because of the change);
     * otherwise the recorded next occurrence, if already gone, makes the timer past due.
     */
    PastDueCheck checkPastDue(String timerName, Instant now, TimerSchedule schedule, Optional<ScheduleStatus> stored) {
        if (stored.isEmpty()) {
            ScheduleStatus first = new ScheduleStatus(ScheduleStatus.NEVER, schedule.nextAfter(now), now);
            write(timerName, first);
            return new PastDueCheck(Optional.empty(), now.isAfter(first.next()));
        }
        ScheduleStatus status = stored.get();
        Instant basis;
        if (!status.last().equals(ScheduleStatus.NEVER)) {
            basis = status.last();
        } else if (!status.lastUpdated().equals(ScheduleStatus.NEVER)) {
            basis = status.lastUpdated();
        } else {
            basis = now;
        }
        Instant expectedNext = schedule.nextAfter(basis);
        if (!status.next().equals(expectedNext)) {
            if (now.isAfter(expectedNext)) {
                expectedNext = schedule.nextAfter(now);
                basis = now;
            }
            status = new ScheduleStatus(ScheduleStatus.NEVER, expectedNext, basis);
            write(timerName, status);
        }
        return new PastDueCheck(Optional.of(status), now.isAfter(status.next()));
    }
}
