package io.mailbridge.devhost.runtime;

import java.util.Map;

/**
 * What a trigger hands to one invocation: the value for the trigger parameter (already of the
 * parameter's type), the binding data for {@code @BindingName} parameters, and why it runs.
 */
public record TriggerInput(Object triggerValue, Map<String, Object> bindingData, String reason) {

    public TriggerInput {
        bindingData = Map.copyOf(bindingData);
    }

    /** Binding data names are case-insensitive, as in the host. */
    public Object bindingValue(String name) {
        for (Map.Entry<String, Object> entry : bindingData.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }
}
