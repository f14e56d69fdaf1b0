package io.gpucolo.store;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the store lives: the JDBC URL as configured, the URL actually used, and for an H2 file database the
 * file it names. For H2 files the URL gets {@code AUTO_SERVER=TRUE} (the first process to open the file
 * serves it to the others over loopback, so admitd and the CLI use it at the same time) and
 * {@code WRITE_DELAY=0} (a commit is written to the file before it returns, so it survives the process being
 * killed), unless the URL sets them itself.
 */
record Location(String configured, String url, Optional<Path> h2File) {
    private static final Pattern SECRET = Pattern.compile("(?i)(password=)[^&;]*");

    static Location of(String jdbcUrl, boolean mustExist) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
            throw new StoreException(StoreException.Kind.OTHER, "state store URL must start with jdbc:, got '"
                    + redact(String.valueOf(jdbcUrl)) + "'", null);
        }
        if (!jdbcUrl.startsWith("jdbc:h2:")) {
            return new Location(jdbcUrl, jdbcUrl, Optional.empty());
        }
        String rest = jdbcUrl.substring("jdbc:h2:".length());
        int semi = rest.indexOf(';');
        String name = semi < 0 ? rest : rest.substring(0, semi);
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("mem:") || lower.startsWith("tcp:") || lower.startsWith("ssl:") || lower.startsWith("zip:")) {
            return new Location(jdbcUrl, jdbcUrl, Optional.empty());
        }
        String path = lower.startsWith("file:") ? name.substring("file:".length()) : name;
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        String url = jdbcUrl;
        String settings = semi < 0 ? "" : rest.substring(semi).toUpperCase(Locale.ROOT);
        if (!settings.contains(";AUTO_SERVER=")) {
            url += ";AUTO_SERVER=TRUE";
        }
        if (!settings.contains(";WRITE_DELAY=")) {
            url += ";WRITE_DELAY=0";
        }
        if (mustExist && !settings.contains(";IFEXISTS=")) {
            url += ";IFEXISTS=TRUE";
        }
        return new Location(jdbcUrl, url, Optional.of(Path.of(path + ".mv.db").toAbsolutePath()));
    }

    /** What to call it in a message: the H2 file, or the URL without any password. */
    String describe() {
        return h2File.map(Path::toString).orElse(redact(configured));
    }

    static String redact(String url) {
        return SECRET.matcher(url).replaceAll("$1***");
    }
}
