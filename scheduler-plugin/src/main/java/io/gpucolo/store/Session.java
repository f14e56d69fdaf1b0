package io.gpucolo.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The store's one connection: every call is one transaction, committed before it returns, serialised with
 * the others. A connection that broke (the database went away) is dropped and re-opened on the next call.
 */
final class Session implements AutoCloseable {
    private final Location where;
    private final Properties credentials;
    private Connection conn;

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    interface Reader<T> {
        T read(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    Session(Location where, Properties credentials, Connection conn) {
        this.where = where;
        this.credentials = credentials;
        this.conn = conn;
    }

    Location where() {
        return where;
    }

    static Connection connect(Location where, Properties p) {
        try {
            Connection c = DriverManager.getConnection(where.url(), p);
            c.setAutoCommit(true);
            return c;
        } catch (SQLException e) {
            if ("08001".equals(e.getSQLState()) && e.getMessage() != null && e.getMessage().startsWith("No suitable driver")) {
                throw new StoreException(StoreException.Kind.OTHER, "no JDBC driver for " + Location.redact(where.configured())
                        + " (supported: jdbc:h2:..., jdbc:postgresql://...)", e);
            }
            throw Failures.classify(where, "open", e);
        }
    }

    int update(String doing, String sql, Binder binder) {
        return query(doing, sql, ps -> {
            binder.bind(ps);
            return ps.executeUpdate();
        });
    }

    <T> T query(String doing, String sql, Reader<T> reader) {
        return transaction(doing, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                return reader.read(ps);
            }
        });
    }

    /** Runs work in one transaction on the connection (re-opened if it broke), committing before returning. */
    synchronized <T> T transaction(String doing, Work<T> work) {
        if (conn == null) {
            conn = connect(where, credentials);
        }
        Connection c = conn;
        try {
            c.setAutoCommit(false);
            T result = work.run(c);
            c.commit();
            c.setAutoCommit(true);
            return result;
        } catch (SQLException e) {
            rollback(c);
            StoreException failure = Failures.classify(where, doing, e);
            if (failure.kind() == StoreException.Kind.UNAVAILABLE) {
                closeQuietly(c);
                conn = null;
            }
            throw failure;
        }
    }

    @Override
    public synchronized void close() {
        if (conn != null) {
            closeQuietly(conn);
            conn = null;
        }
    }

    static void rollback(Connection c) {
        try {
            c.rollback();
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection is broken; it is replaced on the next call
        }
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing more to do with a connection that cannot even close
        }
    }
}
