package io.mailbridge.accounts;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.storage.Properties;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.TableKeys;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Per CRM account settings that support sets: which connection profile the account uses, and whether
 * its users may connect a mailbox other than their own CRM email's. Each setting is merged into the
 * account's row, so setting one keeps the other.
 */
public final class CrmAccounts {
    private static final String ROW_KEY = "settings";
    private static final String PROFILE = "Profile";
    private static final String OTHER_MAILBOXES_ALLOWED = "OtherMailboxesAllowed";

    private final Supplier<TableClient> table;

    public CrmAccounts(StorageClients storage) {
        this(storage, StorageNames.ACCOUNTS_TABLE);
    }

    public CrmAccounts(StorageClients storage, String tableName) {
        this.table = storage.table(tableName);
    }

    /** FULL unless support switched the account to RESTRICTED. */
    public Profile profileOf(String accountId) {
        return settings(accountId).map(e -> Properties.enumValue(e, PROFILE, Profile.class)).orElse(Profile.FULL);
    }

    /** False unless support allowed the account's users to connect mailboxes that differ from their CRM email. */
    public boolean allowsOtherMailboxes(String accountId) {
        return settings(accountId).map(e -> Boolean.TRUE.equals(e.getProperty(OTHER_MAILBOXES_ALLOWED))).orElse(false);
    }

    /** The last call wins: this is an operator's setting, not a merge of concurrent edits. */
    public void setProfile(String accountId, Profile profile, Instant now) {
        merge(accountId, PROFILE, profile.name(), now);
    }

    public void setOtherMailboxesAllowed(String accountId, boolean allowed, Instant now) {
        merge(accountId, OTHER_MAILBOXES_ALLOWED, allowed, now);
    }

    private Optional<TableEntity> settings(String accountId) {
        try {
            return Optional.of(table.get().getEntity(TableKeys.escape(accountId), ROW_KEY));
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void merge(String accountId, String property, Object value, Instant now) {
        TableEntity entity = new TableEntity(TableKeys.escape(accountId), ROW_KEY).addProperty(property, value);
        Properties.instant(entity, "UpdatedAt", now);
        table.get().upsertEntityWithResponse(entity, TableEntityUpdateMode.MERGE, null, null);
    }
}
