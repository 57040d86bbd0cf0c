package io.mailbridge.outbound;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import io.mailbridge.storage.ConcurrentUpdateException;
import io.mailbridge.storage.EntityAlreadyExistsException;
import io.mailbridge.storage.EntityMapper;
import io.mailbridge.storage.EntityTable;
import io.mailbridge.storage.Properties;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.Stored;
import io.mailbridge.storage.TableKeys;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The outbox: one partition per CRM account, a row per send ({@code send:<sendId>}). The sending quota is
 * the mailbox's, kept apart in {@link MailboxQuotas}.
 *
 * <p>The Sent-folder reconciliation finds the mail to write back ({@link #writeBacksOf}) with
 * {@code PartitionKey eq '<account>' and UserId eq '<user>' and (WriteBack eq 'PENDING' or WriteBack eq 'WRITING')}.
 */
public final class Outbox {
    private static final String SEND_ROW = "send:";

    private final Supplier<TableClient> client;
    private final RecordMapper recordMapper = new RecordMapper();
    private final EntityTable<OutboxRecord> records;

    public Outbox(StorageClients storage) {
        this.client = storage.table(StorageNames.OUTBOX_TABLE);
        this.records = new EntityTable<>(client, recordMapper);
    }

    public Optional<Stored<OutboxRecord>> find(String accountId, String sendId) {
        return records.find(TableKeys.escape(accountId), SEND_ROW + sendId);
    }

    /** @throws EntityAlreadyExistsException when a send with the same id exists: the request is a repeat */
    void insert(OutboxRecord record) {
        records.insert(record);
    }

    /** Writes what happened, on the latest version: facts (sent, failed) are recorded whoever changed the row meanwhile. */
    OutboxRecord update(String accountId, String sendId, UnaryOperator<OutboxRecord> change) {
        return records.update(TableKeys.escape(accountId), SEND_ROW + sendId, change);
    }

    /** Writes {@code updated} if nobody changed the send since {@code current} was read; false if somebody did. */
    boolean replace(Stored<OutboxRecord> current, OutboxRecord updated) {
        try {
            records.replace(current, updated);
            return true;
        } catch (ConcurrentUpdateException e) {
            return false;
        }
    }

    /**
     * Sent mail of the connection still to be copied into its Sent Items: PENDING, or WRITING after a write-back
     * that did not record its end. At most {@code limit}, with the versions a conditional write needs.
     */
    public List<Stored<OutboxRecord>> writeBacksOf(String accountId, String userId, int limit) {
        String filter = "PartitionKey eq " + EntityTable.literal(TableKeys.escape(accountId)) + " and UserId eq " + EntityTable.literal(userId)
                + " and (WriteBack eq '" + WriteBack.PENDING + "' or WriteBack eq '" + WriteBack.WRITING + "')";
        return client.get().listEntities(new ListEntitiesOptions().setFilter(filter).setTop(limit), null, null).stream().limit(limit)
                .map(entity -> new Stored<>(recordMapper.read(entity), entity.getETag())).toList();
    }

    /** Marks a write-back as begun (WRITING) if nobody changed the send since {@code open} was read; false if somebody did. */
    public boolean startWriteBack(Stored<OutboxRecord> open, Instant now) {
        return replace(open, open.value().writingBack(now));
    }

    /** Gives up a write-back that will never happen ({@link WriteBack#ABANDONED}) if nobody changed the send since it was read. */
    public boolean abandonWriteBack(Stored<OutboxRecord> open, Instant now) {
        return replace(open, open.value().writtenBack(WriteBack.ABANDONED, now));
    }

    /** Records how a write-back ended: {@link WriteBack#DONE} or {@link WriteBack#FAILED}. */
    public void finishWriteBack(String accountId, String sendId, WriteBack outcome, Instant now) {
        update(accountId, sendId, r -> r.reporting().writeBack().isOpen() ? r.writtenBack(outcome, now) : r);
    }

    private static int integer(TableEntity e, String name) {
        Object value = e.getProperty(name);
        return value == null ? 0 : ((Number) value).intValue();
    }

    private static boolean flag(TableEntity e, String name) {
        return Boolean.TRUE.equals(e.getProperty(name));
    }

    private static final class RecordMapper implements EntityMapper<OutboxRecord> {
        @Override
        public String partitionKey(OutboxRecord r) {
            return TableKeys.escape(r.accountId());
        }

        @Override
        public String rowKey(OutboxRecord r) {
            return SEND_ROW + r.sendId();
        }

        @Override
        public void writeProperties(OutboxRecord r, TableEntity e) {
            OutboxRecord.Message message = r.message();
            e.addProperty("UserId", message.userId());
            e.addProperty("IdempotencyKey", message.idempotencyKey());
            e.addProperty("Fingerprint", message.fingerprint());
            e.addProperty("Payload", message.payload());
            e.addProperty("Recipients", message.recipients());
            e.addProperty("InternetMessageId", message.internetMessageId());
            e.addProperty("State", r.state().name());
            OutboxRecord.Attempt attempt = r.attempt();
            Properties.stringIfPresent(e, "Transport", attempt.transport() == null ? null : attempt.transport().name());
            e.addProperty("Attempts", attempt.attempts());
            e.addProperty("Failures", attempt.failures());
            Properties.instant(e, "NextAttemptAt", attempt.nextAttemptAt());
            Properties.instant(e, "LeaseUntil", attempt.leaseUntil());
            Properties.stringIfPresent(e, "Reason", attempt.reason());
            OutboxRecord.Delivery delivery = r.delivery();
            e.addProperty("QuotaCounted", delivery.quotaCounted());
            e.addProperty("MaybeSentByMailbox", delivery.maybeSentByMailbox());
            e.addProperty("MaybeSentBySmtp", delivery.maybeSentBySmtp());
            e.addProperty("PossibleDuplicate", delivery.possibleDuplicate());
            e.addProperty("EventDue", r.reporting().eventDue());
            e.addProperty("WriteBack", r.reporting().writeBack().name());
            Properties.instant(e, "CreatedAt", r.createdAt());
            Properties.instant(e, "UpdatedAt", r.updatedAt());
            Properties.instant(e, "SentAt", delivery.sentAt());
            Properties.stringIfPresent(e, "MailboxMessageId", delivery.mailboxMessageId());
            Properties.instant(e, "SubmittedAt", delivery.submittedAt());
        }

        @Override
        public OutboxRecord read(TableEntity e) {
            return new OutboxRecord(
                    new OutboxRecord.Message(
                            TableKeys.unescape(e.getPartitionKey()),
                            Properties.string(e, "UserId"),
                            e.getRowKey().substring(SEND_ROW.length()),
                            Properties.string(e, "IdempotencyKey"),
                            Properties.string(e, "Fingerprint"),
                            Properties.string(e, "Payload"),
                            integer(e, "Recipients"),
                            Properties.string(e, "InternetMessageId")),
                    Properties.enumValue(e, "State", SendState.class),
                    new OutboxRecord.Attempt(
                            Properties.enumValue(e, "Transport", Transport.class),
                            integer(e, "Attempts"),
                            integer(e, "Failures"),
                            Properties.instant(e, "NextAttemptAt"),
                            Properties.instant(e, "LeaseUntil"),
                            Properties.string(e, "Reason")),
                    new OutboxRecord.Delivery(
                            flag(e, "QuotaCounted"),
                            flag(e, "MaybeSentByMailbox"),
                            flag(e, "MaybeSentBySmtp"),
                            flag(e, "PossibleDuplicate"),
                            Properties.string(e, "MailboxMessageId"),
                            Properties.instant(e, "SubmittedAt"),
                            Properties.instant(e, "SentAt")),
                    new OutboxRecord.Reporting(
                            flag(e, "EventDue"),
                            Properties.enumValue(e, "WriteBack", WriteBack.class)),
                    Properties.instant(e, "CreatedAt"),
                    Properties.instant(e, "UpdatedAt"));
        }
    }
}
