package io.gpucolo.admitd;

import io.gpucolo.admitd.journal.JournalEntry;
import java.io.IOException;
import java.util.List;

/**
 * The port to the decision audit log in the store (H2 or PostgreSQL). Fed asynchronously from the journal;
 * {@code append} is idempotent on the journal sequence so a replay after a crash never duplicates a row.
 */
public interface AuditLog extends AutoCloseable {
    /** The highest journal sequence already stored (0 when none). */
    long lastSeq() throws IOException;

    /** Stores the entries (ascending sequence); entries already stored are ignored. */
    void append(List<JournalEntry> entries) throws IOException;

    /** Every stored event about one Slurm job, oldest first (its decision, binding, re-packs, end). */
    List<JournalEntry> forJob(String jobId) throws IOException;

    @Override
    void close() throws IOException;
}
