package io.mailbridge.sandbox.exchange;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The mail folders every sandbox mailbox has, by Graph's well-known names. */
public enum WellKnownFolder {
    INBOX("inbox", "Inbox"),
    SENT_ITEMS("sentitems", "Sent Items"),
    DRAFTS("drafts", "Drafts"),
    OUTBOX("outbox", "Outbox"),
    DELETED_ITEMS("deleteditems", "Deleted Items"),
    ARCHIVE("archive", "Archive");

    private final String wellKnownName;
    private final String displayName;

    WellKnownFolder(String wellKnownName, String displayName) {
        this.wellKnownName = wellKnownName;
        this.displayName = displayName;
    }

    public String wellKnownName() {
        return wellKnownName;
    }

    public String displayName() {
        return displayName;
    }

    public static Optional<WellKnownFolder> named(String name) {
        return Arrays.stream(values()).filter(folder -> folder.wellKnownName.equals(name.toLowerCase(Locale.ROOT))).findFirst();
    }
}
