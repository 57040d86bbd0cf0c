package io.mailbridge.mailbox;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import io.mailbridge.RandomTokens;
import io.mailbridge.storage.Properties;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Each connection's unguessable BCC address (1-way users push mail to the CRM by BCC'ing it), and
 * the index from address to connection that the inbound mail gateway's endpoint looks up.
 */
public final class BccAddresses {
    private static final String ROW_KEY = "bcc";

    /** The connection an address belongs to. */
    public record Owner(String accountId, String userId) {}

    private final Supplier<TableClient> table;
    private final String domain;

    public BccAddresses(StorageClients storage, String domain) {
        this(storage, StorageNames.BCC_ADDRESSES_TABLE, domain);
    }

    public BccAddresses(StorageClients storage, String tableName, String domain) {
        this.table = storage.table(tableName);
        this.domain = domain;
    }

    /** Issues a new address for the connection and records whose it is. */
    public String issue(String accountId, String userId) {
        // Lower case: mail systems may change the local part's case; 256 random bits make guessing hopeless.
        String localPart = "bcc-" + RandomTokens.next().toLowerCase(Locale.ROOT).replace('_', '0');
        table.get().createEntity(new TableEntity(localPart, ROW_KEY).addProperty("AccountId", accountId).addProperty("UserId", userId));
        return localPart + "@" + domain;
    }

    /** Whose address this is; empty for any address this stamp did not issue. */
    public Optional<Owner> ownerOf(String address) {
        String normalized = address == null ? "" : address.trim().toLowerCase(Locale.ROOT);
        int at = normalized.lastIndexOf('@');
        if (at <= 0 || !normalized.substring(at + 1).equals(domain) || !normalized.matches("bcc-[a-z0-9-]{1,64}@.*")) {
            return Optional.empty();
        }
        try {
            TableEntity entity = table.get().getEntity(normalized.substring(0, at), ROW_KEY);
            return Optional.of(new Owner(Properties.string(entity, "AccountId"), Properties.string(entity, "UserId")));
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
