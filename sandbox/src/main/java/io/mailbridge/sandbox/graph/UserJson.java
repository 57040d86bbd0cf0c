package io.mailbridge.sandbox.graph;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.http.Json;

/** The user resource: Graph's default properties, and the rest (proxyAddresses among them) only on $select. */
final class UserJson {
    private UserJson() {
    }

    static ObjectNode render(SandboxUser user, ODataQuery query, String graphBaseUrl) {
        String[] names = user.displayName().split(" ", 2);
        ObjectNode all = Json.object();
        all.putArray("businessPhones");
        all.put("displayName", user.displayName());
        all.put("givenName", names[0]);
        all.putNull("jobTitle");
        all.put("mail", user.mail());
        all.putNull("mobilePhone");
        all.putNull("officeLocation");
        all.put("preferredLanguage", "en-US");
        all.put("surname", names.length > 1 ? names[1] : "");
        all.put("userPrincipalName", user.userPrincipalName());
        all.put("id", user.id());
        ObjectNode shown = Json.object();
        if (query.select() == null) {
            shown.put("@odata.context", graphBaseUrl + "/$metadata#users/$entity");
            shown.setAll(all);
            return shown;
        }
        ArrayNode proxies = Json.array();
        user.proxyAddresses().forEach(proxies::add);
        all.set("proxyAddresses", proxies);
        all.putArray("otherMails");
        all.put("accountEnabled", true);
        all.put("mailNickname", user.mail().substring(0, user.mail().indexOf('@')));
        shown.put("@odata.context", graphBaseUrl + "/$metadata#users(" + String.join(",", query.select()) + ")/$entity");
        for (String selected : query.select()) {
            all.fieldNames().forEachRemaining(name -> {
                if (name.equalsIgnoreCase(selected)) {
                    shown.set(name, all.get(name));
                }
            });
        }
        return shown;
    }
}
