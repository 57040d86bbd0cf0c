package io.mailbridge.connect;

import com.azure.data.tables.models.TableEntity;
import io.mailbridge.storage.EntityMapper;
import io.mailbridge.storage.EntityTable;
import io.mailbridge.storage.Properties;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.TableKeys;
import java.time.Instant;
import java.util.Optional;

/**
 * Pending admin approvals, in the sign-in states table (its own row key, so a sign-in callback can
 * never consume one); their ExpiresAt lets the housekeeping sweep of that table remove them.
 */
public final class AdminConsentRequests {
    private static final String ROW_KEY = "adminconsent";
    private static final int MAX_STATE_LENGTH = 256;
    private static final String EXPIRES_AT = "ExpiresAt";

    private final EntityTable<AdminConsentRequest> table;

    public AdminConsentRequests(StorageClients storage) {
        this(storage, StorageNames.SIGN_IN_STATES_TABLE);
    }

    public AdminConsentRequests(StorageClients storage, String tableName) {
        this.table = new EntityTable<>(storage.table(tableName), new Mapper());
    }

    public void save(AdminConsentRequest request) {
        table.insert(request);
    }

    /**
     * The request for this state while it is valid. Not used up: an administrator may cancel first and
     * approve on a second try with the same link.
     */
    public Optional<AdminConsentRequest> find(String state, Instant now) {
        if (state == null || state.isEmpty() || state.length() > MAX_STATE_LENGTH) {
            return Optional.empty();
        }
        return table.find(TableKeys.escape(state), ROW_KEY).map(stored -> stored.value()).filter(request -> !request.isExpiredAt(now));
    }

    private static final class Mapper implements EntityMapper<AdminConsentRequest> {
        @Override
        public String partitionKey(AdminConsentRequest r) {
            return TableKeys.escape(r.state());
        }

        @Override
        public String rowKey(AdminConsentRequest r) {
            return ROW_KEY;
        }

        @Override
        public void writeProperties(AdminConsentRequest r, TableEntity e) {
            e.addProperty("AccountId", r.accountId());
            e.addProperty("UserId", r.userId());
            Properties.stringIfPresent(e, "UserEmail", r.userEmail());
            Properties.instant(e, EXPIRES_AT, r.expiresAt());
        }

        @Override
        public AdminConsentRequest read(TableEntity e) {
            return new AdminConsentRequest(TableKeys.unescape(e.getPartitionKey()), Properties.string(e, "AccountId"),
                    Properties.string(e, "UserId"), Properties.string(e, "UserEmail"), Properties.instant(e, EXPIRES_AT));
        }
    }
}
