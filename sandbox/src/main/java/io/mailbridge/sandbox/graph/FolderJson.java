package io.mailbridge.sandbox.graph;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.sandbox.exchange.Mailbox;
import io.mailbridge.sandbox.exchange.MailMessage;
import io.mailbridge.sandbox.exchange.WellKnownFolder;
import io.mailbridge.sandbox.http.Json;
import java.util.List;

/** The mailFolder resource. */
final class FolderJson {
    private FolderJson() {
    }

    static ObjectNode render(Mailbox mailbox, WellKnownFolder folder) {
        List<MailMessage> messages = mailbox.list(folder);
        return Json.object()
                .put("id", mailbox.folderId(folder))
                .put("displayName", folder.displayName())
                .put("parentFolderId", "AAMkAroot" + mailbox.user().id())
                .put("childFolderCount", 0)
                .put("unreadItemCount", messages.stream().filter(message -> !message.isRead()).count())
                .put("totalItemCount", messages.size())
                .put("isHidden", false);
    }

    static ObjectNode list(Mailbox mailbox, String graphBaseUrl) {
        ObjectNode body = Json.object().put("@odata.context", graphBaseUrl + "/$metadata#users('" + mailbox.user().id() + "')/mailFolders");
        ArrayNode value = body.putArray("value");
        for (WellKnownFolder folder : WellKnownFolder.values()) {
            value.add(render(mailbox, folder));
        }
        return body;
    }
}
