package io.mailbridge.storage;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Remembers that a key was used, until it expires: the first {@link #claim} of a key wins and every
 * later one loses, decided by a conditional insert so two racing callers cannot both win. Used for
 * single-use connect links and for signed API requests that must not be replayed. Keys are
 * expected to be ids or hashes, never secrets themselves.
 */
public final class FirstUses {
    private static final String ROW_KEY = "used";
    private static final String EXPIRES_AT = "ExpiresAt";
    /** Table Storage keys are at most 1 KiB; longer keys are not ours to claim. */
    private static final int MAX_KEY_LENGTH = 512;

    private final Supplier<TableClient> table;

    public FirstUses(StorageClients storage, String tableName) {
        this.table = storage.table(tableName);
    }

    /** True for the first claim of {@code key} (remembered until {@code expiresAt}); false for every repeat. */
    public boolean claim(String key, Instant expiresAt) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("A first-use key must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        TableEntity entity = new TableEntity(TableKeys.escape(key), ROW_KEY);
        Properties.instant(entity, EXPIRES_AT, expiresAt);
        try {
            table.get().createEntity(entity);
            return true;
        } catch (TableServiceException e) {
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    /** Whether {@code key} was claimed and not yet swept: a read, for telling people early; only {@link #claim} decides. */
    public boolean isClaimed(String key) {
        try {
            table.get().getEntity(TableKeys.escape(key), ROW_KEY);
            return true;
        } catch (TableServiceException e) {
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Forgets claims whose window has closed; returns how many. Callers refuse expired keys anyway. */
    public int sweepExpired(Instant now) {
        return ExpiredRows.delete(table.get(), EXPIRES_AT, now);
    }
}
