package io.mailbridge.storage;

import com.azure.data.tables.models.TableEntity;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;

/** Typed reads and writes of entity properties, so mappers stay one line per field. */
public final class Properties {
    private Properties() {}

    public static String string(TableEntity entity, String name) {
        Object value = entity.getProperty(name);
        return value == null ? null : value.toString();
    }

    public static <E extends Enum<E>> E enumValue(TableEntity entity, String name, Class<E> type) {
        String value = string(entity, name);
        return value == null ? null : Enum.valueOf(type, value);
    }

    /** Stored as Edm.DateTime at millisecond precision, which every Table Storage implementation keeps. */
    public static void instant(TableEntity entity, String name, Instant value) {
        if (value != null) {
            entity.addProperty(name, OffsetDateTime.ofInstant(value.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC));
        }
    }

    public static Instant instant(TableEntity entity, String name) {
        Object value = entity.getProperty(name);
        return value == null ? null : ((OffsetDateTime) value).toInstant();
    }

    /** Lists of addresses, one a line: an address never contains a line break. */
    public static void lines(TableEntity entity, String name, List<String> values) {
        entity.addProperty(name, String.join("\n", values));
    }

    public static List<String> lines(TableEntity entity, String name) {
        String value = string(entity, name);
        return value == null || value.isEmpty() ? List.of() : Arrays.asList(value.split("\n"));
    }

    public static void stringIfPresent(TableEntity entity, String name, String value) {
        if (value != null) {
            entity.addProperty(name, value);
        }
    }
}
