package io.gpucolo.store;

import io.gpucolo.admission.model.Placement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The state store: jobs, placements, the decision audit log and load history, in an H2 file (the default,
 * zero set-up) or any JDBC database (PostgreSQL). The schema is migrated by Flyway on open
 * ({@code db/migration}). Every write is committed before it returns. Times are passed in; nothing here
 * reads a clock. Thread-safe: calls are serialised on one connection, which is re-opened after it breaks.
 * Every failure is a {@link StoreException} with a message for an administrator.
 */
public final class Store implements AutoCloseable {
    /** The highest migration under {@code db/migration}; a test keeps the two in step. */
    static final int SCHEMA_VERSION = 1;
    private static final String APPLIED = "SELECT MAX(CAST(\"version\" AS INTEGER)) FROM \"flyway_schema_history\""
            + " WHERE \"success\" = TRUE";
    private final Session session;

    private Store(Session session) {
        this.session = session;
    }

    /** Opens the store at {@code jdbcUrl}, creating an H2 file (and its schema) when there is none. */
    public static Store open(String jdbcUrl) {
        return open(jdbcUrl, "", "");
    }

    /** As {@link #open(String)}, with database credentials (empty user: H2's default {@code sa}). */
    public static Store open(String jdbcUrl, String user, String password) {
        return open(Location.of(jdbcUrl, false), user, password);
    }

    /** Opens an existing store and never creates one (for the admin CLI). */
    public static Store openExisting(String jdbcUrl, String user, String password) {
        return open(Location.of(jdbcUrl, true), user, password);
    }

    private static Store open(Location where, String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user.isEmpty() && where.url().startsWith("jdbc:h2:") ? "sa" : user);
        p.setProperty("password", password);
        Connection c = Session.connect(where, p);
        if (appliedVersion(c) == SCHEMA_VERSION) {
            return new Store(new Session(where, p, c)); // up to date: no migration to run (and nothing for Flyway to log)
        }
        try {
            Flyway.configure().dataSource(where.url(), p.getProperty("user"), password)
                    .locations("classpath:db/migration").loggers("slf4j").load().migrate();
        } catch (FlywayException e) {
            Session.closeQuietly(c);
            SQLException sql = sqlCause(e);
            throw sql != null ? Failures.classify(where, "migrate", sql)
                    : new StoreException(StoreException.Kind.SCHEMA, "state store " + where.describe()
                            + ": schema migration failed (" + Failures.firstLine(e) + ")", e);
        }
        return new Store(new Session(where, p, c));
    }

    /** The schema version Flyway recorded, or -1 when there is none yet (a new database). */
    private static int appliedVersion(Connection c) {
        try (PreparedStatement ps = c.prepareStatement(APPLIED); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getInt(1) : -1;
        } catch (SQLException e) {
            Session.rollback(c);
            return -1;
        }
    }

    /** The H2 file, or the URL without password. */
    public String location() {
        return session.where().describe();
    }

    /** The schema version Flyway has applied. */
    public int schemaVersion() {
        return session.query("read the schema version", APPLIED, ps -> {
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getInt(1) : 0;
                    }
                });
    }

    // ---- jobs -----------------------------------------------------------------------------------------------

    /** Inserts or replaces a job (by id). */
    public void putJob(JobRecord j) {
        session.transaction("store job " + j.jobId(), c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM job WHERE job_id = ?")) {
                del.setString(1, j.jobId());
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO job (job_id, kind, owner, service, state, "
                    + "share_percent, memory_mib, restartable, slurm_partition, qos, account, submitted_ms, updated_ms) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                Rows.bindJob(ins, j);
                ins.executeUpdate();
            }
            return null;
        });
    }

    public List<JobRecord> jobs() {
        return session.query("list jobs", "SELECT * FROM job ORDER BY submitted_ms, job_id", ps -> Rows.jobs(ps.executeQuery()));
    }

    public Optional<JobRecord> job(String jobId) {
        return session.query("read job " + jobId, "SELECT * FROM job WHERE job_id = ?", ps -> {
            ps.setString(1, jobId);
            return Rows.jobs(ps.executeQuery()).stream().findFirst();
        });
    }

    // ---- placements -----------------------------------------------------------------------------------------

    public void recordPlacement(Placement p, Instant started) {
        session.update("store the placement of " + p.jobId(), "INSERT INTO placement (job_id, gpu, mps_percent, memory_mib, "
                + "started_ms) VALUES (?, ?, ?, ?, ?)", ps -> {
                    ps.setString(1, p.jobId());
                    ps.setString(2, p.gpu().toString());
                    ps.setInt(3, p.mpsPercent());
                    ps.setLong(4, p.memoryLimitMiB());
                    ps.setLong(5, started.toEpochMilli());
                });
    }

    /** Ends the job's open placements; returns how many were open. */
    public int endPlacement(String jobId, Instant ended) {
        return session.update("end the placement of " + jobId, "UPDATE placement SET ended_ms = ? WHERE job_id = ? AND ended_ms IS NULL",
                ps -> {
                    ps.setLong(1, ended.toEpochMilli());
                    ps.setString(2, jobId);
                });
    }

    public List<PlacementRecord> activePlacements() {
        return session.query("list placements", "SELECT * FROM placement WHERE ended_ms IS NULL ORDER BY started_ms, job_id",
                ps -> Rows.placements(ps.executeQuery()));
    }

    public List<PlacementRecord> placements(String jobId) {
        return session.query("list placements of " + jobId, "SELECT * FROM placement WHERE job_id = ? ORDER BY started_ms", ps -> {
            ps.setString(1, jobId);
            return Rows.placements(ps.executeQuery());
        });
    }

    // ---- decision audit log ---------------------------------------------------------------------------------

    /** Appends one decision; committed when this returns. Returns false when its seq was already stored. */
    public boolean recordDecision(AuditEntry e) {
        return recordDecisions(List.of(e)) == 1;
    }

    /**
     * Appends decisions in one transaction, skipping those whose seq is already stored (a replay); returns how
     * many were stored. Committed when this returns.
     */
    public int recordDecisions(List<AuditEntry> entries) {
        return session.transaction("append " + entries.size() + " decisions to the audit log", c -> {
            int stored = 0;
            try (PreparedStatement seen = c.prepareStatement("SELECT 1 FROM decision WHERE seq = ?");
                 PreparedStatement ins = c.prepareStatement("INSERT INTO decision (seq, decision_id, job_id, at_ms, "
                         + "kind, reason, placement, policy_version, inputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (AuditEntry e : entries) {
                    if (e.seq() > 0) {
                        seen.setLong(1, e.seq());
                        try (ResultSet rs = seen.executeQuery()) {
                            if (rs.next()) {
                                continue;
                            }
                        }
                    }
                    Rows.bindDecision(ins, e);
                    ins.executeUpdate();
                    stored++;
                }
            }
            return stored;
        });
    }

    /** The highest seq in the audit log, 0 when none. */
    public long lastSeq() {
        return session.query("read the audit log", "SELECT COALESCE(MAX(seq), 0) FROM decision", ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /**
     * Everything the audit log holds about a job, oldest first: rows with its job id, and rows of the decisions
     * that were bound to it (same decision id).
     */
    public List<AuditEntry> decisions(String jobId) {
        return session.query("read the audit log of " + jobId, "SELECT * FROM decision WHERE job_id = ? OR (decision_id <> '' AND "
                + "decision_id IN (SELECT decision_id FROM decision WHERE job_id = ? AND decision_id <> '')) "
                + "ORDER BY at_ms, id", ps -> {
                    ps.setString(1, jobId);
                    ps.setString(2, jobId);
                    return Rows.decisions(ps.executeQuery());
                });
    }

    // ---- load history ---------------------------------------------------------------------------------------

    public void appendLoad(LoadSample s) {
        appendLoad(List.of(s));
    }

    /** Appends samples in one transaction; a sample for the same service, GPU and time replaces the earlier one. */
    public void appendLoad(List<LoadSample> samples) {
        session.transaction("append " + samples.size() + " load samples", c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM load_sample WHERE service = ? AND gpu = ? AND at_ms = ?");
                 PreparedStatement ins = c.prepareStatement("INSERT INTO load_sample (service, gpu, at_ms, "
                         + "requests_per_second, p99_ms) VALUES (?, ?, ?, ?, ?)")) {
                for (LoadSample s : samples) {
                    del.setString(1, s.service());
                    del.setString(2, s.gpu());
                    del.setLong(3, s.at().toEpochMilli());
                    del.executeUpdate();
                    Rows.bindLoad(ins, s);
                    ins.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Samples of one service with {@code from <= at < to}, oldest first. */
    public List<LoadSample> loadHistory(String service, Instant from, Instant to) {
        return session.query("read the load history of " + service, "SELECT * FROM load_sample WHERE service = ? AND at_ms >= ? "
                + "AND at_ms < ? ORDER BY at_ms, gpu", ps -> {
                    ps.setString(1, service);
                    ps.setLong(2, from.toEpochMilli());
                    ps.setLong(3, to.toEpochMilli());
                    return Rows.loads(ps.executeQuery());
                });
    }

    @Override
    public void close() {
        session.close();
    }

    private static SQLException sqlCause(Throwable t) {
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (x instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }
}
