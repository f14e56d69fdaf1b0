package io.gpucolo.store;

import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.model.Placement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/** Maps records to statement parameters and result rows back to records. */
final class Rows {
    private Rows() {
    }

    static void bindJob(PreparedStatement ps, JobRecord j) throws SQLException {
        ps.setString(1, j.jobId());
        ps.setString(2, j.kind().name().toLowerCase(Locale.ROOT));
        ps.setString(3, j.owner());
        ps.setString(4, j.service());
        ps.setString(5, j.state());
        ps.setInt(6, j.sharePercent());
        ps.setLong(7, j.memoryMiB());
        ps.setBoolean(8, j.restartable());
        ps.setString(9, j.partition());
        ps.setString(10, j.qos());
        ps.setString(11, j.account());
        ps.setLong(12, j.submitted().toEpochMilli());
        ps.setLong(13, j.updated().toEpochMilli());
    }

    static List<JobRecord> jobs(ResultSet rs) throws SQLException {
        try (rs) {
            List<JobRecord> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new JobRecord(rs.getString("job_id"), JobKind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
                        rs.getString("owner"), nz(rs.getString("service")), rs.getString("state"), rs.getInt("share_percent"),
                        rs.getLong("memory_mib"), rs.getBoolean("restartable"), rs.getString("slurm_partition"),
                        rs.getString("qos"), rs.getString("account"), Instant.ofEpochMilli(rs.getLong("submitted_ms")),
                        Instant.ofEpochMilli(rs.getLong("updated_ms"))));
            }
            return out;
        }
    }

    static List<PlacementRecord> placements(ResultSet rs) throws SQLException {
        try (rs) {
            List<PlacementRecord> out = new ArrayList<>();
            while (rs.next()) {
                long ended = rs.getLong("ended_ms");
                Optional<Instant> end = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ended));
                Placement p = new Placement(rs.getString("job_id"), GpuId.parse(rs.getString("gpu")),
                        rs.getInt("mps_percent"), rs.getLong("memory_mib"));
                out.add(new PlacementRecord(p, Instant.ofEpochMilli(rs.getLong("started_ms")), end));
            }
            return out;
        }
    }

    static void bindDecision(PreparedStatement ps, AuditEntry e) throws SQLException {
        if (e.seq() > 0) {
            ps.setLong(1, e.seq());
        } else {
            ps.setNull(1, Types.BIGINT);
        }
        ps.setString(2, e.decisionId());
        ps.setString(3, e.jobId());
        ps.setLong(4, e.at().toEpochMilli());
        ps.setString(5, e.kind());
        ps.setString(6, e.reason());
        ps.setString(7, e.placement());
        ps.setString(8, e.policyVersion());
        ps.setString(9, e.inputs());
    }

    static List<AuditEntry> decisions(ResultSet rs) throws SQLException {
        try (rs) {
            List<AuditEntry> out = new ArrayList<>();
            while (rs.next()) {
                long seq = rs.getLong("seq");
                out.add(new AuditEntry(rs.wasNull() ? 0 : seq, rs.getString("decision_id"), rs.getString("job_id"),
                        Instant.ofEpochMilli(rs.getLong("at_ms")), rs.getString("kind"), rs.getString("reason"),
                        rs.getString("placement"), rs.getString("policy_version"), rs.getString("inputs")));
            }
            return out;
        }
    }

    static void bindLoad(PreparedStatement ps, LoadSample s) throws SQLException {
        ps.setString(1, s.service());
        ps.setString(2, s.gpu());
        ps.setLong(3, s.at().toEpochMilli());
        ps.setDouble(4, s.requestsPerSecond());
        if (s.p99Ms().isPresent()) {
            ps.setDouble(5, s.p99Ms().getAsDouble());
        } else {
            ps.setNull(5, Types.DOUBLE);
        }
    }

    static List<LoadSample> loads(ResultSet rs) throws SQLException {
        try (rs) {
            List<LoadSample> out = new ArrayList<>();
            while (rs.next()) {
                double p99 = rs.getDouble("p99_ms");
                OptionalDouble p = rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(p99);
                out.add(new LoadSample(rs.getString("service"), rs.getString("gpu"), Instant.ofEpochMilli(rs.getLong("at_ms")),
                        rs.getDouble("requests_per_second"), p));
            }
            return out;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
