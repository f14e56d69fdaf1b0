package io.gpucolo.store;

/**
 * The state store could not do what was asked. The message is for an administrator: which database or file,
 * what is wrong, and what to do. No stack trace needs to be shown for it.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure, so a daemon can decide to retry (unavailable) or give up (corrupt, locked). */
    public enum Kind {
        /** The file is damaged or not a database; nothing was changed. */
        CORRUPT,
        /** Another process holds the file and does not share it. */
        LOCKED,
        /** There is no store at the location and it was not to be created. */
        MISSING,
        /** The database cannot be reached now (server down, network, connection lost); retry later. */
        UNAVAILABLE,
        /** Credentials or permissions refused. */
        DENIED,
        /** The schema could not be migrated or does not match. */
        SCHEMA,
        /** Anything else. */
        OTHER
    }

    private final Kind kind;

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
