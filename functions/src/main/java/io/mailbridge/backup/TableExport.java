package io.mailbridge.backup;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.storage.blob.BlobContainerClient;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mailbridge.storage.StorageClients;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.zip.GZIPOutputStream;

/**
 * Copies tables that are costly to lose (connections and their encrypted token caches) into a blob
 * container, one gzipped JSON-lines blob per table and run, never overwriting an earlier one. In Azure
 * the container keeps each blob immutable for a retention period (infra/modules/storage.bicep), so a bad
 * deployment or a misused app identity cannot erase the last copies.
 *
 * <p>Each line is one entity in the Table service's own JSON format (odata.type annotations for types JSON
 * cannot tell apart), so a line is a body the Insert Entity operation takes back as it is (docs/runbook.md).
 */
public final class TableExport {
    private static final Logger LOG = Logger.getLogger(TableExport.class.getName());
    private static final DateTimeFormatter RUN_NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** One table's copy: where it went and how many entities it holds. */
    public record Exported(String table, String blobName, long entities) {}

    private final StorageClients storage;
    private final Supplier<BlobContainerClient> container;
    private final List<String> tableNames;
    private final Clock clock;

    public TableExport(StorageClients storage, String containerName, List<String> tableNames, Clock clock) {
        this.storage = storage;
        this.container = storage.container(containerName);
        this.tableNames = List.copyOf(tableNames);
        this.clock = clock;
    }

    public List<Exported> exportAll() {
        String run = RUN_NAME.format(clock.instant());
        List<Exported> exported = new ArrayList<>();
        for (String table : tableNames) {
            exported.add(export(storage.tables().getTableClient(table), table + "/" + run + ".jsonl.gz"));
        }
        LOG.info(() -> "Table export wrote " + exported);
        return exported;
    }

    private Exported export(TableClient table, String blobName) {
        long count = 0;
        try {
            // overwrite=false: a second run in the same second fails instead of replacing a copy.
            OutputStream blob = container.get().getBlobClient(blobName).getBlockBlobClient().getBlobOutputStream(false);
            JsonGenerator json = new JsonFactory().createGenerator(new GZIPOutputStream(blob), JsonEncoding.UTF8);
            json.setRootValueSeparator(null);
            for (TableEntity entity : table.listEntities()) {
                writeEntity(json, entity);
                json.writeRaw('\n');
                count++;
            }
            // Closing commits the block list, so only a complete copy ever becomes a blob; after a failure the
            // stream stays open and the service discards its uncommitted blocks.
            json.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot export table " + table.getTableName() + " to " + blobName, e);
        }
        return new Exported(table.getTableName(), blobName, count);
    }

    private static void writeEntity(JsonGenerator json, TableEntity entity) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, Object> property : entity.getProperties().entrySet()) {
            String name = property.getKey();
            // The etag and Timestamp belong to the stored copy; the service sets new ones when a line is inserted.
            if (!name.startsWith("odata.") && !name.equals("Timestamp")) {
                writeProperty(json, name, property.getValue());
            }
        }
        json.writeEndObject();
    }

    private static void writeProperty(JsonGenerator json, String name, Object value) throws IOException {
        switch (value) {
            case null -> json.writeNullField(name);
            case String text -> json.writeStringField(name, text);
            case Boolean flag -> json.writeBooleanField(name, flag);
            case Integer number -> json.writeNumberField(name, number);
            case Long number -> typed(json, name, "Edm.Int64", Long.toString(number));
            case Double number -> {
                json.writeStringField(name + "@odata.type", "Edm.Double");
                json.writeNumberField(name, number);
            }
            case OffsetDateTime time -> typed(json, name, "Edm.DateTime", time.toInstant().toString());
            case byte[] bytes -> typed(json, name, "Edm.Binary", Base64.getEncoder().encodeToString(bytes));
            case UUID id -> typed(json, name, "Edm.Guid", id.toString());
            default -> throw new IllegalStateException("Property " + name + " has a type the export does not know: "
                    + value.getClass().getName());
        }
    }

    private static void typed(JsonGenerator json, String name, String edmType, String value) throws IOException {
        json.writeStringField(name + "@odata.type", edmType);
        json.writeStringField(name, value);
    }
}
