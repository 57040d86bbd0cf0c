package io.mailbridge.crm;

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

/** Per CRM account settings that support sets: which connection profile the account uses. */
public final class CrmAccounts {
    private static final String ROW_KEY = "settings";

    private final TableClient table;

    public CrmAccounts(StorageClients storage) {
        this(storage, StorageNames.ACCOUNTS_TABLE);
    }

    public CrmAccounts(StorageClients storage, String tableName) {
        this.table = storage.tables().getTableClient(tableName);
    }

    /** FULL unless support switched the account to RESTRICTED. */
    public Profile profileOf(String accountId) {
        try {
            TableEntity entity = table.getEntity(TableKeys.escape(accountId), ROW_KEY);
            return Properties.enumValue(entity, "Profile", Profile.class);
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Profile.FULL;
            }
            throw e;
        }
    }

    /** The last call wins: this is an operator's setting, not a merge of concurrent edits. */
    public void setProfile(String accountId, Profile profile, Instant now) {
        TableEntity entity = new TableEntity(TableKeys.escape(accountId), ROW_KEY).addProperty("Profile", profile.name());
        Properties.instant(entity, "UpdatedAt", now);
        table.upsertEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, null, null);
    }
}
