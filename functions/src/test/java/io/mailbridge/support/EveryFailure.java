package io.mailbridge.support;

import io.mailbridge.graph.MicrosoftFailure;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** One failure of every kind MicrosoftFailure permits, found by reflection, so a kind added later is met by every caller's test. */
public final class EveryFailure {
    private EveryFailure() {}

    public static List<MicrosoftFailure> ofEveryKind(Duration retryAfter) {
        MicrosoftFailure.Details details = new MicrosoftFailure.Details(400, "SomeCode", "Microsoft's words", "req-1", "client-1");
        return Arrays.stream(MicrosoftFailure.class.getPermittedSubclasses()).map(kind -> {
            RecordComponent[] components = kind.getRecordComponents();
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Object[] values = Arrays.stream(components).map(c -> c.getType() == Optional.class ? Optional.of(retryAfter) : details).toArray();
            try {
                return (MicrosoftFailure) kind.getDeclaredConstructor(types).newInstance(values);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("Cannot build a " + kind.getSimpleName(), e);
            }
        }).toList();
    }
}
