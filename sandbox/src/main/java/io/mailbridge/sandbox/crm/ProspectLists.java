package io.mailbridge.sandbox.crm;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** Each CRM account's prospect email addresses, kept trimmed, lower-cased and sorted. */
final class ProspectLists {
    private final Map<String, SortedSet<String>> byAccount = new HashMap<>();

    synchronized SortedSet<String> of(String accountId) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(byAccount.getOrDefault(accountId, new TreeSet<>())));
    }

    synchronized void replace(String accountId, Collection<String> addresses) {
        byAccount.put(accountId, normalized(addresses));
    }

    synchronized void add(String accountId, Collection<String> addresses) {
        byAccount.computeIfAbsent(accountId, key -> new TreeSet<>()).addAll(normalized(addresses));
    }

    synchronized void remove(String accountId, Collection<String> addresses) {
        byAccount.getOrDefault(accountId, new TreeSet<>()).removeAll(normalized(addresses));
    }

    /** Prospect counts by account, sorted by account. */
    synchronized Map<String, Integer> counts() {
        Map<String, Integer> counts = new TreeMap<>();
        byAccount.forEach((account, addresses) -> counts.put(account, addresses.size()));
        return counts;
    }

    /** Checks every address before anything changes, so a bad list leaves the old one intact. */
    private static SortedSet<String> normalized(Collection<String> addresses) {
        SortedSet<String> result = new TreeSet<>();
        for (String address : List.copyOf(addresses)) {
            String trimmed = address.trim().toLowerCase(Locale.ROOT);
            int at = trimmed.indexOf('@');
            boolean oneInnerAt = at > 0 && at == trimmed.lastIndexOf('@') && at < trimmed.length() - 1;
            if (!oneInnerAt || trimmed.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("Not an email address: '" + address + "'");
            }
            result.add(trimmed);
        }
        return result;
    }
}
