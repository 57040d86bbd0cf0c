package io.mailbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.testkit.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps what is deployed in step with what the code reads: the app settings in the Bicep, the
 * local.settings.sample.json values and the README's settings table must each name every setting
 * {@link AppSetting} declares, and the Bicep and the sample nothing that neither the code nor the
 * Functions host reads. The storage module must create exactly the tables and queues of
 * {@link StorageNames}, each queue with its poison queue, and its containers. Every Key Vault secret the
 * Bicep references is in infra/README.md's secrets table and first-deployment steps, and every alert has
 * its section in docs/runbook.md.
 */
class DeploymentSettingsTest {
    private static final Path ROOT = ProjectRoot.path();
    private static final Path INFRA = ROOT.resolve("infra");
    private static final Path FUNCTION_APP_MODULE = INFRA.resolve("modules/functionapp.bicep");
    private static final Path STORAGE_MODULE = INFRA.resolve("modules/storage.bicep");
    private static final Path LOCAL_SAMPLE = ROOT.resolve("local.settings.sample.json");
    private static final Path README = ROOT.resolve("README.md");
    private static final Path INFRA_README = INFRA.resolve("README.md");
    private static final Path ALERTS_MODULE = INFRA.resolve("modules/alerts.bicep");
    private static final Path RUNBOOK = ROOT.resolve("docs/runbook.md");
    /** A versionless Key Vault reference in functionapp.bicep: '${secretReferencePrefix}/<secret name>)'. */
    private static final Pattern SECRET_REFERENCE = Pattern.compile("\\$\\{secretReferencePrefix}/([A-Za-z0-9-]+)\\)");
    private static final String SECRETS_TABLE_HEADER = "Secret in the vault";
    private static final String FIRST_DEPLOYMENT_HEADING = "## First deployment of a stamp";

    /**
     * Set locally only. In Azure a connection string would need an account key, and the stamp's
     * storage account accepts none: the app falls back to the identity-based AzureWebJobsStorage__* URIs.
     */
    private static final String LOCAL_ONLY_SETTING = AppSetting.STORAGE_CONNECTION_STRING.key();

    /** Settings the Functions host reads in Azure and the app's code does not, with why the stamp sets each. */
    private static final Map<String, String> AZURE_HOST_SETTINGS = Map.of(
            "AzureWebJobsStorage__credential",
            "tells the host to reach AzureWebJobsStorage with the app's managed identity",
            "APPLICATIONINSIGHTS_CONNECTION_STRING",
            "where the host sends telemetry (not a secret: the component accepts Entra-authenticated ingestion only)",
            "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
            "Authorization=AAD: the host authenticates telemetry with the app's managed identity",
            "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT",
            "the host refuses request bodies over it (413) before the worker sees them: the cap on anonymous uploads");

    /** Settings the local host reads and the app's code does not, with why the sample carries each. */
    private static final Map<String, String> LOCAL_HOST_SETTINGS = Map.of(
            "FUNCTIONS_WORKER_RUNTIME",
            "Core Tools and the devhost pick the Java worker from it; on Flex Consumption the runtime is"
                    + " functionAppConfig.runtime instead, and the app setting is deprecated there",
            "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT",
            "the devhost refuses request bodies over it (413) as the Functions host does, with the stamp's value");

    private static final String POISON_SUFFIX = "-poison";

    @Test
    void bicepSetsEverySettingTheCodeReadsExceptTheLocalConnectionString() throws IOException {
        Set<String> missing = minus(codeSettings(), bicepAppSettings());
        missing.remove(LOCAL_ONLY_SETTING);

        assertTrue(missing.isEmpty(), () -> ROOT.relativize(FUNCTION_APP_MODULE) + " does not set " + missing
                + ", which " + AppSetting.class.getName() + " declares: add each to its appsettings resource"
                + " (as a Key Vault reference if it is a secret)");
    }

    @Test
    void bicepLeavesTheStorageConnectionStringUnset() throws IOException {
        assertFalse(bicepAppSettings().contains(LOCAL_ONLY_SETTING), () -> ROOT.relativize(FUNCTION_APP_MODULE)
                + " sets " + LOCAL_ONLY_SETTING + ": in Azure the app must reach storage with its managed identity"
                + " (AzureWebJobsStorage__*ServiceUri), since a connection string needs an account key");
    }

    @Test
    void bicepSetsNothingTheCodeOrTheHostDoesNotRead() throws IOException {
        Set<String> unknown = minus(bicepAppSettings(), codeSettings());
        unknown.removeAll(AZURE_HOST_SETTINGS.keySet());

        assertTrue(unknown.isEmpty(), () -> ROOT.relativize(FUNCTION_APP_MODULE) + " sets " + unknown
                + ", which " + AppSetting.class.getName() + " does not declare and which are not host settings ("
                + DeploymentSettingsTest.class.getSimpleName() + ".AZURE_HOST_SETTINGS): remove them, declare them"
                + " where the code reads them, or list them as host settings with why");
    }

    @Test
    void localSampleListsEverySettingTheCodeReads() throws IOException {
        Set<String> missing = minus(codeSettings(), localSampleSettings());

        assertTrue(missing.isEmpty(), () -> ROOT.relativize(LOCAL_SAMPLE) + " does not list " + missing
                + ", which " + AppSetting.class.getName() + " declares: add each to Values with a working local default");
    }

    @Test
    void localSampleCarriesNothingTheCodeOrTheLocalHostDoesNotRead() throws IOException {
        Set<String> unknown = minus(localSampleSettings(), codeSettings());
        unknown.removeAll(LOCAL_HOST_SETTINGS.keySet());

        assertTrue(unknown.isEmpty(), () -> ROOT.relativize(LOCAL_SAMPLE) + " carries " + unknown
                + ", which " + AppSetting.class.getName() + " does not declare and which are not local host settings ("
                + DeploymentSettingsTest.class.getSimpleName() + ".LOCAL_HOST_SETTINGS)");
    }

    @Test
    void readmeSettingsTableListsEverySettingTheCodeReads() throws IOException {
        assumeTrue(Files.exists(README), "README.md does not exist yet, so its settings table is not checked;"
                + " once it exists, its table 'name | local default | what it is for' must list every AppSetting");

        Set<String> missing = minus(codeSettings(), readmeTableSettings(Files.readAllLines(README)));

        assertTrue(missing.isEmpty(), () -> "The settings table in README.md does not list " + missing
                + ", which " + AppSetting.class.getName() + " declares: add a row (name | local default | what it is for) for each");
    }

    @Test
    void infraReadmeSecretsTableListsExactlyTheSecretsTheBicepReferences() throws IOException {
        Set<String> referenced = bicepSecretReferences().keySet();
        Set<String> documented = infraReadmeSecrets(Files.readAllLines(INFRA_README));

        Set<String> undocumented = minus(referenced, documented);
        assertTrue(undocumented.isEmpty(), () -> ROOT.relativize(FUNCTION_APP_MODULE) + " references the Key Vault secrets "
                + undocumented + ", which the secrets table of " + ROOT.relativize(INFRA_README) + " ('" + SECRETS_TABLE_HEADER
                + " | App setting | Value') does not list: an operator would never set them");
        Set<String> unreferenced = minus(documented, referenced);
        assertTrue(unreferenced.isEmpty(), () -> "The secrets table of " + ROOT.relativize(INFRA_README) + " lists "
                + unreferenced + ", which " + ROOT.relativize(FUNCTION_APP_MODULE) + " never references");
    }

    @Test
    void infraReadmeFirstDeploymentSetsEverySecretTheAppAlwaysReads() throws IOException {
        List<String> lines = Files.readAllLines(INFRA_README);
        int start = lines.indexOf(FIRST_DEPLOYMENT_HEADING);
        assertTrue(start >= 0, () -> ROOT.relativize(INFRA_README) + " has no section '" + FIRST_DEPLOYMENT_HEADING + "'");
        int end = start + 1;
        while (end < lines.size() && !lines.get(end).startsWith("## ")) {
            end++;
        }
        String section = String.join("\n", lines.subList(start, end));

        // A reference behind a condition (the previous token keys, during a rotation only) is not needed to start.
        Set<String> unset = bicepSecretReferences().entrySet().stream()
                .filter(Map.Entry::getValue)
                .map(Map.Entry::getKey)
                .filter(secret -> !section.contains("`" + secret + "`") && !section.contains(" " + secret + " "))
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(unset.isEmpty(), () -> "'" + FIRST_DEPLOYMENT_HEADING + "' in " + ROOT.relativize(INFRA_README)
                + " does not say to set " + unset + ", which the app reads from its first start");
    }

    @Test
    void runbookHasASectionForEveryAlert() throws IOException {
        Set<String> alerts = BicepText.read(ALERTS_MODULE).objectArrayNames("rules");
        Set<String> sections = Files.readAllLines(RUNBOOK).stream()
                .filter(line -> line.startsWith("## "))
                .map(DeploymentSettingsTest::headingAnchor)
                .collect(Collectors.toCollection(TreeSet::new));

        Set<String> missing = minus(alerts, sections);
        assertTrue(missing.isEmpty(), () -> ROOT.relativize(RUNBOOK) + " has no section for the alerts " + missing
                + " of " + ROOT.relativize(ALERTS_MODULE) + ": each alert links docs/runbook.md#<its name>, so add a"
                + " heading whose anchor is that name (what it means, what to check, the command that fixes it)");
    }

    /** The anchor GitHub gives a markdown heading: lower case, punctuation dropped, spaces as hyphens. */
    static String headingAnchor(String heading) {
        return heading.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }

    @Test
    void storageModuleCreatesTheTablesTheAppUses() throws IOException {
        List<String> tables = BicepText.read(STORAGE_MODULE).stringArray("tableNames");

        assertEquals(new TreeSet<>(StorageNames.TABLES), withoutDuplicates(tables, STORAGE_MODULE),
                () -> "The tables in " + ROOT.relativize(STORAGE_MODULE) + " (var tableNames) differ from "
                        + StorageNames.class.getName() + ".TABLES");
    }

    @Test
    void storageModuleCreatesEveryQueueTheAppUsesWithItsPoisonQueue() throws IOException {
        Set<String> queues = withoutDuplicates(BicepText.read(STORAGE_MODULE).stringArray("queueNames"), STORAGE_MODULE);
        Set<String> expected = StorageNames.QUEUES.stream()
                .flatMap(queue -> Stream.of(queue, queue + POISON_SUFFIX))
                .collect(Collectors.toCollection(TreeSet::new));

        Set<String> withoutPoisonQueue = queues.stream()
                .filter(queue -> !queue.endsWith(POISON_SUFFIX) && !queues.contains(queue + POISON_SUFFIX))
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(withoutPoisonQueue.isEmpty(), () -> ROOT.relativize(STORAGE_MODULE) + " creates " + withoutPoisonQueue
                + " without the '<queue>" + POISON_SUFFIX + "' queue the host moves failed messages to");
        assertEquals(expected, queues, () -> "The queues in " + ROOT.relativize(STORAGE_MODULE)
                + " (var queueNames) differ from " + StorageNames.class.getName() + ".QUEUES and their poison queues");
    }

    @Test
    void storageModuleCreatesTheBlobContainersTheAppUses() throws IOException {
        Set<String> containers = BicepText.read(STORAGE_MODULE).resourceNames("Microsoft.Storage/storageAccounts/blobServices/containers");

        Set<String> missing = minus(StorageNames.CONTAINERS, containers);
        assertTrue(missing.isEmpty(), () -> ROOT.relativize(STORAGE_MODULE) + " creates no container " + missing
                + ", which " + StorageNames.class.getName() + ".CONTAINERS names: the app would fail on its first write there");
    }

    @Test
    void eachRegionHasAParameterFileThatDeploysThatRegion() throws IOException {
        for (Region region : Region.values()) {
            Path file = INFRA.resolve("params/" + region.name().toLowerCase(Locale.ROOT) + ".bicepparam");
            assertTrue(Files.exists(file), () -> "No parameter file " + ROOT.relativize(file) + " for the " + region + " stamp");
            BicepText params = BicepText.read(file);

            assertEquals("'" + region.name() + "'", params.paramValue("regionCode"),
                    () -> ROOT.relativize(file) + " must deploy the " + region + " stamp (param regionCode)");
            // Settings refuses the RESTRICTED profile outside the US stamp (design brief: not in EU and AU).
            assertEquals(String.valueOf(region == Region.US), params.paramValue("restrictedProfileAllowed"),
                    () -> ROOT.relativize(file) + ": restrictedProfileAllowed must be true in the US stamp only");
        }
    }

    @Test
    void infraNeverUsesStorageAccountKeys() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(INFRA)) {
            offenders = files.filter(file -> file.toString().endsWith(".bicep") || file.toString().endsWith(".bicepparam"))
                    .filter(DeploymentSettingsTest::mentionsAccountKey)
                    .map(file -> ROOT.relativize(file).toString())
                    .sorted()
                    .toList();
        }
        assertTrue(offenders.isEmpty(), () -> offenders + " use a storage account key (listKeys( or AccountKey=):"
                + " the stamp reaches storage with Entra identities only");
        assertTrue(BicepText.read(STORAGE_MODULE).containsOutsideComments("allowSharedKeyAccess: false"),
                () -> ROOT.relativize(STORAGE_MODULE) + " must set allowSharedKeyAccess: false");
    }

    private static boolean mentionsAccountKey(Path file) {
        try {
            String text = Files.readString(file).toLowerCase(Locale.ROOT);
            return text.contains("listkeys(") || text.contains("accountkey=");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + file, e);
        }
    }

    private static Set<String> codeSettings() {
        return Arrays.stream(AppSetting.values()).map(AppSetting::key).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> bicepAppSettings() throws IOException {
        return BicepText.read(FUNCTION_APP_MODULE).appSettingNames();
    }

    /** Secret name to whether the app setting always references it (true) or only under a condition (false). */
    private static Map<String, Boolean> bicepSecretReferences() throws IOException {
        Map<String, Boolean> secrets = new TreeMap<>();
        BicepText.read(FUNCTION_APP_MODULE).appSettings().values().forEach(value -> {
            Matcher matcher = SECRET_REFERENCE.matcher(value);
            while (matcher.find()) {
                secrets.merge(matcher.group(1), value.startsWith("'"), Boolean::logicalOr);
            }
        });
        if (secrets.isEmpty()) {
            fail(ROOT.relativize(FUNCTION_APP_MODULE) + " references no Key Vault secret as '${secretReferencePrefix}/<name>)':"
                    + " if the references changed shape, change " + DeploymentSettingsTest.class.getSimpleName() + ".SECRET_REFERENCE");
        }
        return secrets;
    }

    /**
     * The backticked names in the first column of the table whose header starts with "Secret in the vault"
     * (a row may name several secrets that share one purpose). Fails when there is no such table.
     */
    static Set<String> infraReadmeSecrets(List<String> lines) {
        Pattern backticked = Pattern.compile("`([^`]+)`");
        for (int i = 0; i < lines.size(); i++) {
            List<String> header = tableCells(lines.get(i));
            if (header.isEmpty() || !header.get(0).equalsIgnoreCase(SECRETS_TABLE_HEADER)) {
                continue;
            }
            Set<String> names = new TreeSet<>();
            for (int row = i + 2; row < lines.size() && !tableCells(lines.get(row)).isEmpty(); row++) {
                Matcher matcher = backticked.matcher(tableCells(lines.get(row)).get(0));
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
            return names;
        }
        return fail("infra/README.md has no secrets table: expected a markdown table whose header starts with '"
                + SECRETS_TABLE_HEADER + "'");
    }

    private static Set<String> localSampleSettings() throws IOException {
        JsonNode values = new ObjectMapper().readTree(LOCAL_SAMPLE.toFile()).path("Values");
        if (!values.isObject()) {
            fail(ROOT.relativize(LOCAL_SAMPLE) + " has no Values object");
        }
        Set<String> names = new TreeSet<>();
        values.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * First-column names of every markdown table whose header's second column is "local default"
     * (the README's settings table: name | local default | what it is for). Backticks and bold
     * markers around a name are ignored. Fails when README.md has no such table.
     */
    static Set<String> readmeTableSettings(List<String> lines) {
        Set<String> names = new TreeSet<>();
        boolean foundTable = false;
        for (int i = 0; i < lines.size(); i++) {
            List<String> header = tableCells(lines.get(i));
            if (header.size() < 3 || !header.get(1).equalsIgnoreCase("local default")) {
                continue;
            }
            foundTable = true;
            // i + 1 is the |---|---| separator; rows follow until the first line that is not a table row.
            for (int row = i + 2; row < lines.size() && !tableCells(lines.get(row)).isEmpty(); row++) {
                names.add(tableCells(lines.get(row)).get(0).replaceAll("[`*]", "").strip());
            }
        }
        if (!foundTable) {
            fail("README.md has no settings table: expected a markdown table with the header"
                    + " 'name | local default | what it is for'");
        }
        return names;
    }

    /** The cells of a markdown table row (pipes escaped as \| stay inside a cell); empty if the line is no row. */
    private static List<String> tableCells(String line) {
        String row = line.strip();
        if (!row.startsWith("|")) {
            return List.of();
        }
        row = row.substring(1);
        if (row.endsWith("|") && !row.endsWith("\\|")) {
            row = row.substring(0, row.length() - 1);
        }
        return Arrays.stream(row.split("(?<!\\\\)\\|", -1)).map(String::strip).toList();
    }

    private static Set<String> minus(Collection<String> from, Collection<String> remove) {
        Set<String> result = new TreeSet<>(from);
        result.removeAll(remove);
        return result;
    }

    private static Set<String> withoutDuplicates(List<String> names, Path file) {
        Set<String> unique = new TreeSet<>(names);
        assertEquals(names.size(), unique.size(), () -> ROOT.relativize(file) + " lists a name twice: " + names);
        return unique;
    }

    /**
     * Just enough of Bicep's lexical rules to read the parts these checks need without the Bicep CLI:
     * string literals (escapes, ${...} interpolation, ''' multi-line strings), // and /* comments,
     * and nested brackets. Comments are blanked out first, so text inside them never counts.
     */
    static final class BicepText {
        private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

        private final Path file;
        private final String text;

        private BicepText(Path file, String text) {
            this.file = ROOT.relativize(file);
            this.text = text;
        }

        static BicepText read(Path file) throws IOException {
            return new BicepText(file, withoutComments(Files.readString(file)));
        }

        /**
         * The setting names of the file's only {@code Microsoft.Web/sites/config} resource named
         * 'appsettings': the keys of its {@code properties} object, which maps each setting to its value.
         * Fails unless there is exactly one such resource and each key is a plain name.
         */
        Set<String> appSettingNames() {
            return new TreeSet<>(appSettings().keySet());
        }

        /** The file's only 'appsettings' config resource: each setting's name to the source of its value. */
        Map<String, String> appSettings() {
            Pattern declaration = Pattern.compile("resource\\s+\\w+\\s+'Microsoft\\.Web/sites/config@[^']*'\\s*=\\s*\\{");
            List<Map<String, String>> appSettingsResources = new ArrayList<>();
            Matcher matcher = declaration.matcher(text);
            while (matcher.find()) {
                Map<String, String> body = objectEntries(text, matcher.end() - 1);
                if ("'appsettings'".equals(body.get("name"))) {
                    appSettingsResources.add(body);
                }
            }
            if (appSettingsResources.size() != 1) {
                fail(file + " must declare exactly one Microsoft.Web/sites/config resource named 'appsettings',"
                        + " found " + appSettingsResources.size());
            }
            String properties = appSettingsResources.get(0).get("properties");
            if (properties == null || !properties.startsWith("{")) {
                fail(file + ": the appsettings resource has no properties object");
            }
            return objectEntries(properties, 0);
        }

        /** The literal names of the file's resources of one type (any API version); names built from expressions are skipped. */
        Set<String> resourceNames(String type) {
            Pattern declaration = Pattern.compile("resource\\s+\\w+\\s+'" + Pattern.quote(type) + "@[^']*'\\s*=\\s*\\{");
            Set<String> names = new TreeSet<>();
            Matcher matcher = declaration.matcher(text);
            while (matcher.find()) {
                String name = objectEntries(text, matcher.end() - 1).getOrDefault("name", "");
                if (name.startsWith("'") && !name.contains("${")) {
                    names.add(literal(name));
                }
            }
            return names;
        }

        /** The literal {@code name} of each object in {@code var <name> = [ { name: '...' ... } ... ]}. */
        Set<String> objectArrayNames(String variable) {
            Matcher matcher = Pattern.compile("\\bvar\\s+" + variable + "\\s*=\\s*\\[").matcher(text);
            if (!matcher.find()) {
                fail(file + " has no 'var " + variable + " = [...]'");
            }
            int close = matching(text, matcher.end() - 1);
            Set<String> names = new TreeSet<>();
            int i = matcher.end();
            while ((i = skipSeparators(text, i, close)) < close) {
                if (text.charAt(i) != '{') {
                    fail(file + ": var " + variable + " must list object literals only");
                }
                String name = objectEntries(text, i).get("name");
                if (name == null || !name.startsWith("'")) {
                    fail(file + ": every object of var " + variable + " needs a literal name");
                }
                names.add(literal(name));
                i = matching(text, i) + 1;
            }
            return names;
        }

        /** The items of {@code var <name> = [...]}, which must all be plain string literals. */
        List<String> stringArray(String variable) {
            Matcher matcher = Pattern.compile("\\bvar\\s+" + variable + "\\s*=\\s*\\[").matcher(text);
            if (!matcher.find()) {
                fail(file + " has no 'var " + variable + " = [...]'");
            }
            int open = matcher.end() - 1;
            int close = matching(text, open);
            List<String> items = new ArrayList<>();
            int i = open + 1;
            while ((i = skipSeparators(text, i, close)) < close) {
                if (text.charAt(i) != '\'') {
                    fail(file + ": var " + variable + " must list string literals only, found: "
                            + text.substring(i, Math.min(close, i + 40)).strip());
                }
                int end = skipString(text, i);
                items.add(literal(text.substring(i, end)));
                i = end;
            }
            return items;
        }

        boolean containsOutsideComments(String code) {
            return text.contains(code);
        }

        /** The source of the value a .bicepparam file gives {@code param <name> = ...}, up to the end of its line. */
        String paramValue(String name) {
            Matcher matcher = Pattern.compile("\\bparam\\s+" + name + "\\s*=\\s*(.*)").matcher(text);
            if (!matcher.find()) {
                fail(file + " does not set param " + name);
            }
            return matcher.group(1).strip();
        }

        /**
         * The entries of the object literal whose '{' is at {@code open}: key to value source, in order.
         * An entry ends at a newline or comma outside brackets and strings.
         */
        private Map<String, String> objectEntries(String source, int open) {
            int close = matching(source, open);
            Map<String, String> entries = new LinkedHashMap<>();
            int i = open + 1;
            while ((i = skipSeparators(source, i, close)) < close) {
                String key;
                if (source.charAt(i) == '\'') {
                    int end = skipString(source, i);
                    key = literal(source.substring(i, end));
                    i = end;
                } else {
                    Matcher identifier = IDENTIFIER.matcher(source).region(i, close);
                    if (!identifier.lookingAt()) {
                        fail(file + ": expected a property name at: " + excerpt(source, i));
                    }
                    key = identifier.group();
                    i = identifier.end();
                }
                while (i < close && (source.charAt(i) == ' ' || source.charAt(i) == '\t')) {
                    i++;
                }
                if (i >= close || source.charAt(i) != ':') {
                    fail(file + ": expected ':' after property '" + key + "' at: " + excerpt(source, i));
                }
                int valueStart = ++i;
                while (i < close && source.charAt(i) != '\n' && source.charAt(i) != ',') {
                    char c = source.charAt(i);
                    if (c == '\'') {
                        i = skipString(source, i);
                    } else if (c == '[' || c == '{' || c == '(') {
                        i = matching(source, i) + 1;
                    } else {
                        i++;
                    }
                }
                if (entries.put(key, source.substring(valueStart, i).strip()) != null) {
                    fail(file + ": property '" + key + "' appears twice in one object");
                }
            }
            return entries;
        }

        /** The value of a string literal without interpolation; fails on one that has ${...}. */
        private String literal(String quoted) {
            if (quoted.startsWith("'''")) {
                return quoted.substring(3, quoted.length() - 3);
            }
            String content = quoted.substring(1, quoted.length() - 1);
            if (content.replace("\\$", "").contains("${")) {
                fail(file + ": expected a plain string, found the interpolated " + quoted);
            }
            return content.replaceAll("\\\\(.)", "$1");
        }

        private int matching(String source, int open) {
            int depth = 0;
            int i = open;
            while (i < source.length()) {
                char c = source.charAt(i);
                if (c == '\'') {
                    i = skipString(source, i);
                    continue;
                }
                if (c == '[' || c == '{' || c == '(') {
                    depth++;
                } else if ((c == ']' || c == '}' || c == ')') && --depth == 0) {
                    return i;
                }
                i++;
            }
            return fail(file + ": no closing bracket for the one at: " + excerpt(source, open));
        }

        private static int skipSeparators(String source, int i, int end) {
            while (i < end && (Character.isWhitespace(source.charAt(i)) || source.charAt(i) == ',')) {
                i++;
            }
            return i;
        }

        private static String excerpt(String source, int at) {
            return source.substring(at, Math.min(source.length(), at + 60)).strip();
        }

        /** Index just after the string literal starting at {@code start}. */
        private static int skipString(String source, int start) {
            if (source.startsWith("'''", start)) {
                int end = source.indexOf("'''", start + 3);
                if (end < 0) {
                    throw new IllegalArgumentException("Unterminated ''' string at offset " + start);
                }
                return end + 3;
            }
            int i = start + 1;
            while (i < source.length()) {
                char c = source.charAt(i);
                if (c == '\\') {
                    i += 2;
                } else if (c == '\'') {
                    return i + 1;
                } else if (c == '$' && i + 1 < source.length() && source.charAt(i + 1) == '{') {
                    i = skipInterpolation(source, i + 2);
                } else {
                    i++;
                }
            }
            throw new IllegalArgumentException("Unterminated string at offset " + start);
        }

        /** Index just after the '}' that closes a ${...} whose expression starts at {@code start}. */
        private static int skipInterpolation(String source, int start) {
            int depth = 1;
            int i = start;
            while (i < source.length()) {
                char c = source.charAt(i);
                if (c == '\'') {
                    i = skipString(source, i);
                    continue;
                }
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    return i + 1;
                }
                i++;
            }
            throw new IllegalArgumentException("Unterminated ${ at offset " + start);
        }

        /** The source with comments replaced by spaces (line breaks kept); strings are left intact. */
        private static String withoutComments(String source) {
            StringBuilder out = new StringBuilder(source.length());
            int i = 0;
            while (i < source.length()) {
                if (source.charAt(i) == '\'') {
                    int end = skipString(source, i);
                    out.append(source, i, end);
                    i = end;
                } else if (source.startsWith("//", i)) {
                    while (i < source.length() && source.charAt(i) != '\n') {
                        out.append(' ');
                        i++;
                    }
                } else if (source.startsWith("/*", i)) {
                    int end = source.indexOf("*/", i + 2);
                    if (end < 0) {
                        throw new IllegalArgumentException("Unterminated /* comment at offset " + i);
                    }
                    for (; i < end + 2; i++) {
                        out.append(source.charAt(i) == '\n' ? '\n' : ' ');
                    }
                } else {
                    out.append(source.charAt(i));
                    i++;
                }
            }
            return out.toString();
        }
    }
}
