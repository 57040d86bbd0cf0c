package io.mailbridge.graph;

import com.azure.data.tables.models.TableEntity;
import io.mailbridge.storage.EntityMapper;
import io.mailbridge.storage.EntityTable;
import io.mailbridge.storage.Properties;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.Stored;
import io.mailbridge.storage.TableKeys;
import java.time.Instant;
import java.util.Optional;

/** Each connection's MSAL token cache, encrypted, beside (not inside) the connection record. */
public final class TokenCaches {

    /** One connection's sealed cache and the MSAL account it belongs to. */
    public record SealedCache(String accountId, String userId, String homeAccountId, TokenCipher.Sealed sealed, Instant updatedAt) {}

    private final EntityTable<SealedCache> table;

    public TokenCaches(StorageClients storage) {
        this(storage, StorageNames.TOKEN_CACHES_TABLE);
    }

    public TokenCaches(StorageClients storage, String tableName) {
        this.table = new EntityTable<>(storage.table(tableName), new Mapper());
    }

    public Optional<Stored<SealedCache>> find(String accountId, String userId) {
        return table.find(TableKeys.escape(accountId), TableKeys.escape(userId));
    }

    /** A new sign-in replaces whatever was stored. */
    public void save(SealedCache cache) {
        table.upsert(cache);
    }

    /** Stores a refreshed cache unless another refresh stored one since {@code current} was read. */
    public void replace(Stored<SealedCache> current, SealedCache refreshed) {
        table.replace(current, refreshed);
    }

    public void delete(String accountId, String userId) {
        table.delete(TableKeys.escape(accountId), TableKeys.escape(userId));
    }

    /** What the ciphertext is bound to: it opens only for the connection it was made for. */
    static String binding(String accountId, String userId) {
        return "mailbridge-token-cache:" + TableKeys.escape(accountId) + "/" + TableKeys.escape(userId);
    }

    private static final class Mapper implements EntityMapper<SealedCache> {
        @Override
        public String partitionKey(SealedCache c) {
            return TableKeys.escape(c.accountId());
        }

        @Override
        public String rowKey(SealedCache c) {
            return TableKeys.escape(c.userId());
        }

        @Override
        public void writeProperties(SealedCache c, TableEntity e) {
            e.addProperty("HomeAccountId", c.homeAccountId());
            e.addProperty("KeyId", c.sealed().keyId());
            e.addProperty("Ciphertext", c.sealed().ciphertext());
            Properties.instant(e, "UpdatedAt", c.updatedAt());
        }

        @Override
        public SealedCache read(TableEntity e) {
            return new SealedCache(
                    TableKeys.unescape(e.getPartitionKey()),
                    TableKeys.unescape(e.getRowKey()),
                    Properties.string(e, "HomeAccountId"),
                    new TokenCipher.Sealed(Properties.string(e, "KeyId"), (byte[]) e.getProperty("Ciphertext")),
                    Properties.instant(e, "UpdatedAt"));
        }
    }
}
