package io.gpucolo.store;

import java.sql.SQLException;

/**
 * Turns a driver's exception into a {@link StoreException} whose message says which store, what is wrong and
 * what to do. H2 is recognised by its error codes, PostgreSQL and others by SQLState classes.
 */
final class Failures {
    // H2 error codes (org.h2.api.ErrorCode), spelled out so this class does not depend on H2 at compile time.
    private static final int H2_DATABASE_NOT_FOUND = 90013;
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;
    private static final int H2_IO_EXCEPTION_1 = 90028;
    private static final int H2_FILE_CORRUPTED = 90030;
    private static final int H2_IO_EXCEPTION_2 = 90031;
    private static final int H2_FILE_VERSION_ERROR = 90048;
    private static final int H2_FILE_ENCRYPTION_ERROR = 90049;
    private static final int H2_CONNECTION_BROKEN = 90067;
    private static final int H2_DATABASE_NOT_FOUND_IF_EXISTS = 90146;
    private static final int H2_WRONG_USER_OR_PASSWORD = 28000;

    private static final String NOT_CHANGED = "It was not changed: gpucolo never repairs or recreates a store over a "
            + "broken file. Stop admitd, move the file aside (keep it for recovery), and restore a backup; or point "
            + "admitd.database_url at a new file to start with an empty store.";

    private Failures() {
    }

    static StoreException classify(Location where, String doing, SQLException e) {
        String store = "state store " + where.describe();
        String said = firstLine(e);
        int code = e.getErrorCode();
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (code == H2_FILE_CORRUPTED || code == H2_FILE_VERSION_ERROR || code == H2_FILE_ENCRYPTION_ERROR) {
            return new StoreException(StoreException.Kind.CORRUPT, store + " is corrupted or not an H2 2.x database ("
                    + said + "). " + NOT_CHANGED, e);
        }
        if (code == H2_DATABASE_ALREADY_OPEN) {
            return new StoreException(StoreException.Kind.LOCKED, store + " is locked by another process that opened it "
                    + "without sharing it (" + said + "). Stop that process (e.g. an H2 console or a tool given a URL "
                    + "without AUTO_SERVER=TRUE), or open it with the same URL as admitd.", e);
        }
        if (code == H2_DATABASE_NOT_FOUND || code == H2_DATABASE_NOT_FOUND_IF_EXISTS || "3D000".equals(state)) {
            return new StoreException(StoreException.Kind.MISSING, "no " + store + ": admitd creates it when it first "
                    + "starts; check admitd.database_url in the policy file.", e);
        }
        if ((code == H2_IO_EXCEPTION_1 || code == H2_IO_EXCEPTION_2) && where.h2File().filter(Failures::usable).isPresent()) {
            return new StoreException(StoreException.Kind.CORRUPT, store + " is damaged or truncated (" + said + ": "
                    + deepest(e) + "). " + NOT_CHANGED, e);
        }
        if (code == H2_IO_EXCEPTION_1 || code == H2_IO_EXCEPTION_2) {
            return new StoreException(StoreException.Kind.DENIED, "cannot " + doing + " " + store + " (" + said
                    + "): check that its directory exists and this user may read and write it.", e);
        }
        if (code == H2_WRONG_USER_OR_PASSWORD || state.startsWith("28")) {
            return new StoreException(StoreException.Kind.DENIED, store + " refused the credentials (" + said
                    + "): check admitd.database_user and admitd.database_password_file.", e);
        }
        if (code == H2_CONNECTION_BROKEN || state.startsWith("08") || state.startsWith("57") || state.startsWith("53")) {
            return new StoreException(StoreException.Kind.UNAVAILABLE, "cannot reach " + store + " to " + doing + " ("
                    + said + "); retry when the database is back.", e);
        }
        if (state.startsWith("42") || state.startsWith("23")) {
            return new StoreException(StoreException.Kind.SCHEMA, store + ": cannot " + doing + " (" + said + ").", e);
        }
        return new StoreException(StoreException.Kind.OTHER, store + ": cannot " + doing + " (" + said + ").", e);
    }

    /** An existing regular file this process may read and write: an I/O error on it means its content is bad. */
    private static boolean usable(java.nio.file.Path file) {
        return java.nio.file.Files.isRegularFile(file) && java.nio.file.Files.isReadable(file)
                && java.nio.file.Files.isWritable(file);
    }

    /** The innermost cause's message (or its class name when it has none). */
    private static String deepest(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? "no detail" : firstLine(t);
    }

    /** The driver's message without H2's appended SQL and stack hints. */
    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        int bracket = m.lastIndexOf(" [");
        return (bracket > 0 ? m.substring(0, bracket) : m).strip();
    }
}
