package dev.cria.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code cria --version}: Cria's version (filled in by the build) and the Java runtime it runs on. */
public final class VersionProvider implements IVersionProvider {

    private static final String RESOURCE = "version.properties";

    /** The project version, from {@code dev/cria/cli/version.properties} written by Maven's resource filtering. */
    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "dev/cria/cli/" + RESOURCE + " missing from the classpath: rebuild cria-cli");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        Runtime.Version java = Runtime.version();
        return new String[] {
            "cria " + version(),
            "Java " + java + " (" + System.getProperty("java.vendor") + "), " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores"
        };
    }
}
