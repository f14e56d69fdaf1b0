package io.gpucolo.admission.pipeline;

import java.util.Objects;

/**
 * The outcome of one stage for one request (and, for per-GPU stages, one GPU). A closed vocabulary:
 * <ul>
 *   <li>{@link Code#SUCCESS}: go on.</li>
 *   <li>{@link Code#NO_ROOM_NOW}: not now, but a later state of the cluster may allow it (load falls,
 *       guests leave). Leads to {@code Defer}.</li>
 *   <li>{@link Code#FORBIDDEN}: the policy forbids it as written (share outside the bounds, partition
 *       not allowed to co-locate); an admin could change the policy. Leads to {@code Reject} that could
 *       succeed under another policy.</li>
 *   <li>{@link Code#NEVER_FITS}: no state of the cluster can ever allow it (more memory than the GPU
 *       has). Leads to {@code Reject} that can never succeed.</li>
 *   <li>{@link Code#ERROR}: a port failed (bind could not be applied). The job is deferred and retried.</li>
 * </ul>
 *
 * @param code   what happened
 * @param plugin the name of the plugin that said so ({@code ""} for success)
 * @param reason a sentence for users and admins ({@code ""} for success)
 */
public record Status(Code code, String plugin, String reason) {
    private static final Status SUCCESS = new Status(Code.SUCCESS, "", "");

    /** The closed set of stage outcomes. */
    public enum Code {
        SUCCESS, NO_ROOM_NOW, FORBIDDEN, NEVER_FITS, ERROR;

        /** Lower-case words for messages, e.g. {@code no room now}. */
        public String words() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    public Status {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(reason, "reason");
        if (code != Code.SUCCESS && reason.isBlank()) {
            throw new IllegalArgumentException("a " + code + " status needs a reason");
        }
    }

    public static Status success() {
        return SUCCESS;
    }

    public static Status noRoomNow(String plugin, String reason) {
        return new Status(Code.NO_ROOM_NOW, plugin, reason);
    }

    public static Status forbidden(String plugin, String reason) {
        return new Status(Code.FORBIDDEN, plugin, reason);
    }

    public static Status neverFits(String plugin, String reason) {
        return new Status(Code.NEVER_FITS, plugin, reason);
    }

    public static Status error(String plugin, String reason) {
        return new Status(Code.ERROR, plugin, reason);
    }

    public boolean isSuccess() {
        return code == Code.SUCCESS;
    }

    @Override
    public String toString() {
        return isSuccess() ? "success" : plugin + ": " + reason + " [" + code.words() + "]";
    }
}
