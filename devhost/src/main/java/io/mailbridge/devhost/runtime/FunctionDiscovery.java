package io.mailbridge.devhost.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Finds the classes of a package and its sub-packages on a class path (directories and jars) and
 * loads them without initialising them: a function class's static state starts only when it runs.
 */
public final class FunctionDiscovery {
    private static final Logger LOG = Logger.getLogger(FunctionDiscovery.class.getName());
    private static final String CLASS_SUFFIX = ".class";

    private FunctionDiscovery() {}

    public static List<Class<?>> classesIn(String packageName, ClassLoader loader) {
        return classesIn(packageName, loader, root -> true);
    }

    /**
     * The classes of the anchor's package and its sub-packages in the anchor's own jar or class folder
     * only, as the Functions host scans the app's jar and nothing else on the class path.
     */
    public static List<Class<?>> classesBeside(Class<?> anchor) {
        String codeSource = anchor.getProtectionDomain().getCodeSource().getLocation().toString();
        return classesIn(anchor.getPackageName(), anchor.getClassLoader(), root -> root.toString().replace("jar:", "").startsWith(codeSource));
    }

    private static List<Class<?>> classesIn(String packageName, ClassLoader loader, java.util.function.Predicate<URL> inRoot) {
        String folder = packageName.replace('.', '/');
        TreeSet<String> classNames = new TreeSet<>();
        try {
            for (URL root : Collections.list(loader.getResources(folder))) {
                if (!inRoot.test(root)) {
                    continue;
                }
                if ("jar".equals(root.getProtocol())) {
                    addFromJar(root, folder, classNames);
                } else if ("file".equals(root.getProtocol())) {
                    addFromDirectory(Path.of(root.toURI()), packageName, classNames);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot scan package " + packageName, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot scan package " + packageName, e);
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String className : classNames) {
            try {
                classes.add(Class.forName(className, false, loader));
            } catch (ClassNotFoundException | LinkageError e) {
                // A class that cannot even load cannot hold a function the worker could run either.
                LOG.warning(() -> "Skipping " + className + ", which does not load: " + e);
            }
        }
        return classes;
    }

    private static void addFromJar(URL root, String folder, TreeSet<String> classNames) throws IOException {
        JarURLConnection connection = (JarURLConnection) root.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            jar.stream()
                    .map(entry -> entry.getName())
                    .filter(name -> name.startsWith(folder + "/") && isClass(name))
                    .forEach(name -> classNames.add(className(name)));
        }
    }

    private static void addFromDirectory(Path directory, String packageName, TreeSet<String> classNames) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            files.filter(Files::isRegularFile)
                    .map(file -> directory.relativize(file).toString().replace(directory.getFileSystem().getSeparator(), "/"))
                    .filter(FunctionDiscovery::isClass)
                    .forEach(name -> classNames.add(packageName + "." + className(name)));
        }
    }

    private static boolean isClass(String path) {
        return path.endsWith(CLASS_SUFFIX) && !path.endsWith("module-info.class") && !path.endsWith("package-info.class");
    }

    private static String className(String path) {
        return path.substring(0, path.length() - CLASS_SUFFIX.length()).replace('/', '.');
    }
}
