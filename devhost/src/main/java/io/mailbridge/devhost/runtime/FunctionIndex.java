package io.mailbridge.devhost.runtime;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.CustomBinding;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code @FunctionName} methods of the function classes into {@link FunctionDefinition}s,
 * refusing (with a problem that names the function and parameter) every binding, parameter type or
 * return type the devhost cannot serve the way the Java worker does.
 */
public final class FunctionIndex {
    /** The Functions host's rule for function names. */
    private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_\\-]{0,127}");
    private static final String ANNOTATION_PACKAGE = FunctionName.class.getPackageName();
    private static final String DEFAULT_CONNECTION = "AzureWebJobsStorage";
    private static final Set<Class<?>> BINDING_DATA_TYPES =
            Set.of(String.class, int.class, Integer.class, long.class, Long.class, OffsetDateTime.class);

    private FunctionIndex() {}

    public static List<FunctionDefinition> index(
            Collection<Class<?>> classes, AppSettings settings, StartupProblems problems) {
        Map<String, FunctionDefinition> byName = new LinkedHashMap<>();
        for (Class<?> functionClass : classes) {
            List<Method> methods;
            try {
                methods = Arrays.stream(functionClass.getMethods())
                        .filter(method -> method.isAnnotationPresent(FunctionName.class))
                        .sorted(Comparator.comparing(Method::getName))
                        .toList();
            } catch (LinkageError e) {
                problems.add("Cannot inspect " + functionClass.getName() + ": " + e);
                continue;
            }
            for (Method method : methods) {
                new MethodIndex(functionClass, method, settings, problems).definition().ifPresent(definition -> {
                    FunctionDefinition earlier = byName.putIfAbsent(definition.name().toLowerCase(Locale.ROOT), definition);
                    if (earlier != null) {
                        problems.add(definition.name(), "is declared twice, by " + describe(earlier.method())
                                + " and " + describe(definition.method()));
                    }
                });
            }
        }
        return List.copyOf(byName.values());
    }

    private static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName();
    }

    private static boolean isBindingAnnotation(Annotation annotation) {
        Class<? extends Annotation> type = annotation.annotationType();
        return type.getPackageName().equals(ANNOTATION_PACKAGE) || type.isAnnotationPresent(CustomBinding.class);
    }

    /** Indexes one method, adding a problem for everything it cannot serve. */
    private static final class MethodIndex {
        private final Class<?> functionClass;
        private final Method method;
        private final String name;
        private final AppSettings settings;
        private final StartupProblems problems;
        private boolean valid = true;

        MethodIndex(Class<?> functionClass, Method method, AppSettings settings, StartupProblems problems) {
            this.functionClass = functionClass;
            this.method = method;
            this.name = method.getAnnotation(FunctionName.class).value();
            this.settings = settings;
            this.problems = problems;
        }

        Optional<FunctionDefinition> definition() {
            if (!FUNCTION_NAME.matcher(name).matches()) {
                problem("is not a valid function name: start with a letter, then letters, digits, '_' or '-' (at most 128)");
            }
            if (!Modifier.isPublic(functionClass.getModifiers())) {
                problem("its class " + functionClass.getName() + " must be public for the worker to call it");
            }
            refuseUnsupportedAnnotations(functionClass.getAnnotations(), "class " + functionClass.getSimpleName());
            refuseUnsupportedAnnotations(method.getAnnotations(), "method " + method.getName());

            TriggerBinding trigger = null;
            List<ParameterBinding> parameters = new ArrayList<>();
            for (Parameter parameter : method.getParameters()) {
                ParameterBinding binding = bind(parameter);
                if (binding instanceof ParameterBinding.Trigger) {
                    if (trigger != null) {
                        problem("has more than one trigger; a function has exactly one");
                    }
                    trigger = trigger(parameter);
                }
                parameters.add(binding);
            }
            if (trigger == null) {
                problem("has no trigger: the devhost serves @HttpTrigger, @QueueTrigger and @TimerTrigger");
            } else {
                checkReturnType(trigger);
            }
            return valid ? Optional.of(new FunctionDefinition(name, functionClass, method, trigger, parameters)) : Optional.empty();
        }

        private void refuseUnsupportedAnnotations(Annotation[] annotations, String where) {
            for (Annotation annotation : annotations) {
                if (isBindingAnnotation(annotation) && !(annotation instanceof FunctionName)) {
                    problem("@" + annotation.annotationType().getSimpleName() + " on " + where
                            + " is not supported by the devhost");
                }
            }
        }

        private ParameterBinding bind(Parameter parameter) {
            ParameterBinding binding = null;
            boolean refused = false;
            for (Annotation annotation : parameter.getAnnotations()) {
                if (annotation instanceof HttpTrigger || annotation instanceof QueueTrigger || annotation instanceof TimerTrigger) {
                    binding = new ParameterBinding.Trigger();
                } else if (annotation instanceof BindingName bindingName) {
                    binding = bindingData(parameter, bindingName.value());
                } else if (isBindingAnnotation(annotation)) {
                    problem("parameter '" + parameter.getName() + "' uses the binding @"
                            + annotation.annotationType().getSimpleName() + ", which the devhost does not support");
                    refused = true;
                }
            }
            if (binding != null) {
                return binding;
            }
            if (!refused && parameter.getType() != ExecutionContext.class) {
                problem("parameter '" + parameter.getName() + "' of type " + parameter.getParameterizedType().getTypeName()
                        + " has no binding annotation the devhost supports");
            }
            return new ParameterBinding.Context();
        }

        private ParameterBinding bindingData(Parameter parameter, String bindingName) {
            if (!BINDING_DATA_TYPES.contains(parameter.getType())) {
                problem("@BindingName(\"" + bindingName + "\") parameter '" + parameter.getName() + "' has type "
                        + parameter.getType().getSimpleName() + "; the devhost binds String, int, long and OffsetDateTime");
            }
            return new ParameterBinding.BindingData(bindingName, parameter.getName(), parameter.getType());
        }

        private TriggerBinding trigger(Parameter parameter) {
            HttpTrigger http = parameter.getAnnotation(HttpTrigger.class);
            if (http != null) {
                Set<HttpMethod> methods = http.methods().length == 0 ? EnumSet.noneOf(HttpMethod.class) : EnumSet.copyOf(Arrays.asList(http.methods()));
                String route = http.route().isBlank() ? name : http.route();
                return new TriggerBinding.Http(route, methods, http.authLevel(), requestBody(parameter));
            }
            QueueTrigger queue = parameter.getAnnotation(QueueTrigger.class);
            if (queue != null) {
                String connection = queue.connection().isBlank() ? DEFAULT_CONNECTION : queue.connection();
                return new TriggerBinding.Queue(resolve(queue.queueName()), connection, messageType(parameter));
            }
            TimerTrigger timer = parameter.getAnnotation(TimerTrigger.class);
            if (parameter.getType() != String.class) {
                problem("timer parameter '" + parameter.getName() + "' must be a String: the host passes the timer as JSON");
            }
            return new TriggerBinding.Timer(resolve(timer.schedule()),
                    attribute(timer, "runOnStartup", false), attribute(timer, "useMonitor", true));
        }

        private String resolve(String expression) {
            return settings.resolve(expression, setting -> problem("'%" + setting + "%' does not resolve to a value: add the setting " + setting));
        }

        private TriggerBinding.RequestBody requestBody(Parameter parameter) {
            Type type = parameter.getParameterizedType();
            if (type instanceof ParameterizedType request && request.getRawType() == HttpRequestMessage.class) {
                Type body = request.getActualTypeArguments()[0];
                if (body == String.class) {
                    return TriggerBinding.RequestBody.STRING;
                }
                if (body == byte[].class) {
                    return TriggerBinding.RequestBody.BYTES;
                }
                if (body instanceof ParameterizedType optional && optional.getRawType() == Optional.class) {
                    Type inner = optional.getActualTypeArguments()[0];
                    if (inner == String.class) {
                        return TriggerBinding.RequestBody.OPTIONAL_STRING;
                    }
                    if (inner == byte[].class) {
                        return TriggerBinding.RequestBody.OPTIONAL_BYTES;
                    }
                }
            }
            problem("HTTP trigger parameter '" + parameter.getName() + "' has type " + type.getTypeName()
                    + "; the devhost passes HttpRequestMessage<String>, <byte[]>, <Optional<String>> or <Optional<byte[]>>");
            return TriggerBinding.RequestBody.STRING;
        }

        private TriggerBinding.MessageType messageType(Parameter parameter) {
            if (parameter.getType() == byte[].class) {
                return TriggerBinding.MessageType.BYTES;
            }
            if (parameter.getType() != String.class) {
                problem("queue trigger parameter '" + parameter.getName() + "' has type " + parameter.getType().getSimpleName()
                        + "; the devhost passes String or byte[]");
            }
            return TriggerBinding.MessageType.STRING;
        }

        /**
         * Reads an attribute the annotation may not declare: the library's @TimerTrigger has no
         * runOnStartup or useMonitor yet, so the host's defaults apply until a version declares them
         * (the Maven plugin copies every declared attribute into function.json the same way).
         */
        private static boolean attribute(Annotation annotation, String attribute, boolean hostDefault) {
            try {
                return (Boolean) annotation.annotationType().getMethod(attribute).invoke(annotation);
            } catch (NoSuchMethodException e) {
                return hostDefault;
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("Cannot read " + attribute + " of " + annotation, e);
            }
        }

        private void checkReturnType(TriggerBinding trigger) {
            Class<?> returned = method.getReturnType();
            if (trigger instanceof TriggerBinding.Http) {
                if (returned != HttpResponseMessage.class) {
                    problem("returns " + returned.getSimpleName() + "; the devhost serves HTTP functions that return HttpResponseMessage");
                }
            } else if (returned != void.class) {
                problem("returns " + returned.getSimpleName() + "; a queue or timer function returns void (output bindings are not supported)");
            }
        }

        private void problem(String description) {
            valid = false;
            problems.add(name, description);
        }
    }
}
