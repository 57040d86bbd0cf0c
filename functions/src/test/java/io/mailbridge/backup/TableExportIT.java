package io.mailbridge.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.azure.data.tables.models.TableEntity;
import com.azure.storage.blob.BlobContainerClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.UniqueNames;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The daily table export on Azurite's table and blob services: every entity, typed as the Table service reads it back. */
@ExtendWith(AzuriteExtension.class)
class TableExportIT {
    private static final Instant RUN = Instant.parse("2026-12-03T02:00:00Z");

    private final StorageClients storage;
    private final String connections;
    private final String tokenCaches;
    private final BlobContainerClient container;

    TableExportIT(Azurite azurite) {
        storage = TestStorage.clients(azurite);
        connections = TestStorage.newTable(storage, "exconn");
        tokenCaches = TestStorage.newTable(storage, "excache");
        container = storage.blobs().getBlobContainerClient(UniqueNames.next("exports"));
        container.create();
    }

    private TableExport exportAt(Instant instant) {
        return new TableExport(storage, container.getBlobContainerName(), List.of(connections, tokenCaches),
                Clock.fixed(instant, ZoneOffset.UTC));
    }

    @Test
    void everyEntityOfEveryTableLandsInItsOwnBlobWithTheTypesTheTableServiceNeedsToTakeItBack() throws IOException {
        byte[] ciphertext = {0, 1, 2, (byte) 0xff};
        UUID id = UUID.fromString("0b6f8a8e-52c4-4c55-8b51-0d2f2f8a9c11");
        storage.tables().getTableClient(connections).createEntity(new TableEntity("acct-1", "conn-1")
                .addProperty("state", "CONNECTED")
                .addProperty("twoWay", true)
                .addProperty("attempts", 3)
                .addProperty("deltaCount", 5_000_000_000L)
                .addProperty("score", 0.5)
                .addProperty("connectedAt", OffsetDateTime.parse("2026-11-30T08:15:30Z"))
                .addProperty("tenant", id));
        storage.tables().getTableClient(connections).createEntity(new TableEntity("acct-2", "conn-2").addProperty("state", "NEEDS_REAUTH"));
        storage.tables().getTableClient(tokenCaches).createEntity(new TableEntity("conn-1", "cache").addProperty("ciphertext", ciphertext));

        List<TableExport.Exported> exported = exportAt(RUN).exportAll();

        assertEquals(List.of(new TableExport.Exported(connections, connections + "/2026-12-03T020000Z.jsonl.gz", 2),
                new TableExport.Exported(tokenCaches, tokenCaches + "/2026-12-03T020000Z.jsonl.gz", 1)), exported);

        Map<String, JsonNode> rows = new TreeMap<>();
        lines(exported.get(0).blobName()).forEach(line -> rows.put(line.path("RowKey").asText(), line));
        JsonNode full = rows.get("conn-1");
        assertEquals("acct-1", full.path("PartitionKey").asText());
        assertEquals("CONNECTED", full.path("state").asText());
        assertEquals(true, full.path("twoWay").booleanValue());
        assertEquals(3, full.path("attempts").intValue());
        assertEquals("Edm.Int64", full.path("deltaCount@odata.type").asText());
        assertEquals("5000000000", full.path("deltaCount").textValue());
        assertEquals("Edm.Double", full.path("score@odata.type").asText());
        assertEquals(0.5, full.path("score").doubleValue());
        assertEquals("Edm.DateTime", full.path("connectedAt@odata.type").asText());
        assertEquals("2026-11-30T08:15:30Z", full.path("connectedAt").asText());
        assertEquals("Edm.Guid", full.path("tenant@odata.type").asText());
        assertEquals(id.toString(), full.path("tenant").asText());
        // The service's own bookkeeping stays out: a line must be insertable as it is.
        assertEquals(List.of(), names(full).stream().filter(name -> name.startsWith("odata.") || name.equals("Timestamp")).toList());
        assertEquals("NEEDS_REAUTH", rows.get("conn-2").path("state").asText());

        JsonNode cache = lines(exported.get(1).blobName()).get(0);
        assertEquals("Edm.Binary", cache.path("ciphertext@odata.type").asText());
        assertEquals("AAEC/w==", cache.path("ciphertext").asText());
    }

    @Test
    void eachRunWritesNewBlobsAndNeverReplacesAnEarlierCopy() throws IOException {
        storage.tables().getTableClient(connections).createEntity(new TableEntity("acct-1", "conn-1").addProperty("state", "CONNECTED"));
        String first = exportAt(RUN).exportAll().get(0).blobName();

        storage.tables().getTableClient(connections).createEntity(new TableEntity("acct-1", "conn-2").addProperty("state", "CONNECTED"));
        TableExport.Exported nextDay = exportAt(RUN.plus(Duration.ofDays(1))).exportAll().get(0);

        assertEquals(connections + "/2026-12-04T020000Z.jsonl.gz", nextDay.blobName());
        assertEquals(2, nextDay.entities());
        assertEquals(1, lines(first).size());
        // A second run at the same instant would overwrite: it fails instead, and the copy stays.
        assertThrows(RuntimeException.class, () -> exportAt(RUN).exportAll());
        assertEquals(1, lines(first).size());
    }

    @Test
    void anEmptyTableStillGetsItsBlobSoAMissingOneMeansAFailedRun() throws IOException {
        List<TableExport.Exported> exported = exportAt(RUN).exportAll();

        assertEquals(0, exported.get(0).entities());
        assertEquals(List.of(), lines(exported.get(0).blobName()));
    }

    @Test
    void aTableThatCannotBeReadLeavesNoBlobThatLooksLikeACopy() {
        String missing = UniqueNames.next("exgone");
        TableExport export = new TableExport(storage, container.getBlobContainerName(), List.of(connections, missing),
                Clock.fixed(RUN, ZoneOffset.UTC));

        assertThrows(RuntimeException.class, export::exportAll);

        List<String> blobs = container.listBlobs().stream().map(blob -> blob.getName()).toList();
        assertEquals(List.of(connections + "/2026-12-03T020000Z.jsonl.gz"), blobs);
    }

    private List<JsonNode> lines(String blobName) throws IOException {
        byte[] gzipped = container.getBlobClient(blobName).downloadContent().toBytes();
        List<JsonNode> lines = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty()) {
                    lines.add(new ObjectMapper().readTree(line));
                }
            }
        }
        return lines;
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
