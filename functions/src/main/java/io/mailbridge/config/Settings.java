package io.mailbridge.config;

import java.util.Map;

/**
 * The app's settings, read once at start from the environment (that is how Azure hands app
 * settings to a function app, and how the local host hands over local.settings.json).
 */
public record Settings(StorageSettings storage, Region stampRegion) {

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    /** Fails with {@link InvalidSettingsException} naming every missing or malformed setting. */
    public static Settings from(Map<String, String> environment) {
        SettingsReader reader = new SettingsReader(environment);
        StorageSettings storage = StorageSettings.read(reader);
        Region region = reader.requiredEnum(AppSetting.STAMP_REGION, Region.class);
        reader.failIfInvalid();
        return new Settings(storage, region);
    }
}
