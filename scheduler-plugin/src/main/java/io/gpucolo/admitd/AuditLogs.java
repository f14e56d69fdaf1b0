package io.gpucolo.admitd;

import io.gpucolo.admission.policy.Policy;

/** Opens the audit log the policy names (the store's decision table). */
public final class AuditLogs {
    private AuditLogs() {
    }

    /** The audit log of {@code admitd.database_url}; null while no store adapter is wired. */
    public static AuditLog open(Policy policy) {
        return null;
    }
}
