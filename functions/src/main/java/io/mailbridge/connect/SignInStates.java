package io.mailbridge.connect;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.storage.EntityMapper;
import io.mailbridge.storage.EntityTable;
import io.mailbridge.storage.ExpiredRows;
import io.mailbridge.storage.Properties;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.Stored;
import io.mailbridge.storage.TableKeys;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Pending sign-ins, one partition per random state value so look-ups are point reads. Consuming is
 * a delete conditional on the ETag: of two callbacks racing with the same state, exactly one wins.
 */
public final class SignInStates {
    private static final String ROW_KEY = "state";
    /** States we issue are far shorter; anything longer came from someone else and cannot match. */
    private static final int MAX_STATE_LENGTH = 256;
    private static final String EXPIRES_AT = "ExpiresAt";

    private final Supplier<TableClient> client;
    private final EntityTable<SignInState> table;

    public SignInStates(StorageClients storage) {
        this(storage, StorageNames.SIGN_IN_STATES_TABLE);
    }

    public SignInStates(StorageClients storage, String tableName) {
        this.client = storage.table(tableName);
        this.table = new EntityTable<>(client, new Mapper());
    }

    public void save(SignInState state) {
        table.insert(state);
    }

    /**
     * Takes the state out of storage: present only for the first caller, and only before it expires.
     * Expired states are deleted too, so they cannot be tried again.
     */
    public Optional<SignInState> consume(String state, Instant now) {
        if (state == null || state.isEmpty() || state.length() > MAX_STATE_LENGTH) {
            return Optional.empty();
        }
        String key = TableKeys.escape(state);
        Optional<Stored<SignInState>> stored = table.find(key, ROW_KEY);
        if (stored.isEmpty() || !table.deleteIfUnchanged(key, ROW_KEY, stored.get().etag())) {
            return Optional.empty();
        }
        SignInState value = stored.get().value();
        return value.isExpiredAt(now) ? Optional.empty() : Optional.of(value);
    }

    /**
     * Deletes the sign-ins nobody came back from before they expired, with their PKCE verifiers; returns how many.
     * A callback racing the sweep loses nothing: an expired state is refused anyway.
     */
    public int sweepExpired(Instant now) {
        return ExpiredRows.delete(client.get(), EXPIRES_AT, now);
    }

    private static final class Mapper implements EntityMapper<SignInState> {
        @Override
        public String partitionKey(SignInState s) {
            return TableKeys.escape(s.state());
        }

        @Override
        public String rowKey(SignInState s) {
            return ROW_KEY;
        }

        @Override
        public void writeProperties(SignInState s, TableEntity e) {
            e.addProperty("AccountId", s.accountId());
            e.addProperty("UserId", s.userId());
            Properties.stringIfPresent(e, "UserEmail", s.userEmail());
            e.addProperty("Mode", s.mode().name());
            e.addProperty("Profile", s.profile().name());
            e.addProperty("ReturnUrl", s.returnUrl());
            e.addProperty("CodeVerifier", s.codeVerifier());
            e.addProperty("BrowserHash", s.browserHash());
            Properties.instant(e, EXPIRES_AT, s.expiresAt());
        }

        @Override
        public SignInState read(TableEntity e) {
            return new SignInState(
                    TableKeys.unescape(e.getPartitionKey()),
                    Properties.string(e, "AccountId"),
                    Properties.string(e, "UserId"),
                    Properties.string(e, "UserEmail"),
                    Properties.enumValue(e, "Mode", SyncMode.class),
                    Properties.enumValue(e, "Profile", Profile.class),
                    Properties.string(e, "ReturnUrl"),
                    Properties.string(e, "CodeVerifier"),
                    Properties.string(e, "BrowserHash"),
                    Properties.instant(e, EXPIRES_AT));
        }
    }
}
