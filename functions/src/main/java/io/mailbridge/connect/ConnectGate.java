package io.mailbridge.connect;

import io.mailbridge.accounts.CrmAccounts;
import io.mailbridge.config.Settings;
import io.mailbridge.mailbox.Profile;
import java.net.URI;
import java.util.Optional;

/**
 * Decides whether the user a CRM link names may connect a mailbox here, before anything is stored:
 * a valid link, a known return address, the role, the home region, and a profile this stamp offers.
 */
public final class ConnectGate {
    private final ConnectLinks links;
    private final ReturnUrls returnUrls;
    private final CrmAccounts accounts;
    private final Settings.Stamp stamp;

    public ConnectGate(ConnectLinks links, ReturnUrls returnUrls, CrmAccounts accounts, Settings.Stamp stamp) {
        this.links = links;
        this.returnUrls = returnUrls;
        this.accounts = accounts;
        this.stamp = stamp;
    }

    public sealed interface Admission {
        record Admitted(ConnectRequest request, Profile profile) implements Admission {}

        record Refused(Refusal refusal) implements Admission {}
    }

    public Admission admit(String link) {
        return switch (links.verify(link)) {
            case ConnectLinks.Verified.Expired(Optional<URI> returnUrl) -> new Admission.Refused(returnUrl.filter(returnUrls::isAllowed)
                    .map(Refusal.expiredLink()::backTo).orElse(Refusal.expiredLink()));
            case ConnectLinks.Verified.Invalid invalid -> new Admission.Refused(Refusal.invalidLink());
            case ConnectLinks.Verified.Valid(ConnectRequest request) -> admit(request);
        };
    }

    private Admission admit(ConnectRequest request) {
        if (!returnUrls.isAllowed(request.returnUrl())) {
            return new Admission.Refused(Refusal.unknownReturnAddress());
        }
        if (!request.mayConnect()) {
            return new Admission.Refused(Refusal.missingRole().backTo(request.returnUrl()));
        }
        if (request.homeRegion() != stamp.region()) {
            return new Admission.Refused(Refusal.wrongRegion(request.homeRegion().name(), stamp.region().name()).backTo(request.returnUrl()));
        }
        Profile profile = accounts.profileOf(request.accountId());
        if (profile == Profile.RESTRICTED && !stamp.restrictedProfileAllowed()) {
            return new Admission.Refused(Refusal.restrictedProfileUnavailable(stamp.region().name()).backTo(request.returnUrl()));
        }
        return new Admission.Admitted(request, profile);
    }
}
