package io.mailbridge.sandbox.exchange;

import java.util.List;
import java.util.Optional;

/**
 * One page of a folder's delta: changed messages and removals, then either a skip token for the
 * next page or a delta token for the next round. select and filter are the ones the round began with.
 */
public record DeltaPage(List<Item> items, Optional<String> skipToken, Optional<String> deltaToken, String select) {

    public sealed interface Item {
    }

    public record Present(MailMessage message) implements Item {
    }

    public record Removed(String immutableId, String restId) implements Item {
    }
}
