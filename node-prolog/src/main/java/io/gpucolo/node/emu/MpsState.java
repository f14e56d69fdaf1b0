package io.gpucolo.node.emu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The emulated MPS control daemon's bookkeeping: one active server at a time (MPS runs one server per user), its
 * active-thread percentage (taken from the default when the server starts, changed for later clients by
 * {@code set_active_thread_percentage}), pinned-memory limits, and its clients. Not thread-safe: the daemon locks.
 * Server PIDs are synthetic, from {@value #FIRST_SERVER_PID} up (above any Linux pid_max), so they never name a
 * real process.
 */
final class MpsState {
    static final long FIRST_SERVER_PID = 5_000_000;

    static final class Server {
        final long pid;
        final long uid;
        int percent;
        final Map<Integer, Long> memLimitMiB;
        final Map<Long, LineConnection> clients = new LinkedHashMap<>();

        Server(long pid, long uid, int percent, Map<Integer, Long> memLimitMiB) {
            this.pid = pid;
            this.uid = uid;
            this.percent = percent;
            this.memLimitMiB = new TreeMap<>(memLimitMiB);
        }
    }

    private long nextPid = FIRST_SERVER_PID;
    int defaultPercent = 100;
    final Map<Integer, Long> defaultMemLimitMiB = new TreeMap<>();
    private Server active;

    Optional<Server> active() {
        return Optional.ofNullable(active);
    }

    Optional<Server> server(long pid) {
        return active != null && active.pid == pid ? Optional.of(active) : Optional.empty();
    }

    /**
     * Starts a server for {@code uid} if none is active, or if the active one belongs to another user and has no
     * clients left (it exits first). Returns the server for {@code uid}, or empty while another user's server
     * still has clients.
     */
    Optional<Server> serverFor(long uid) {
        if (active != null && active.uid != uid && active.clients.isEmpty()) {
            active = null;
        }
        if (active == null) {
            active = new Server(nextPid++, uid, defaultPercent, defaultMemLimitMiB);
        }
        return active.uid == uid ? Optional.of(active) : Optional.empty();
    }

    List<Long> serverPids() {
        List<Long> l = new ArrayList<>();
        if (active != null) {
            l.add(active.pid);
        }
        return l;
    }

    /** Effective cap of a new client: the tighter of the server's percentage and the client's own. */
    static int effectiveCap(Server s, int clientCap) {
        return Math.max(1, Math.min(s.percent, clientCap));
    }

    /** Parses an MPS size such as {@code 8G}, {@code 4096M} or {@code 512000K} into MiB. */
    static long sizeMiB(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([KMGT]?)B?", java.util.regex.Pattern.CASE_INSENSITIVE)
                .matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid memory size '" + text + "': expected e.g. 8G or 4096M");
        }
        return ClientEnv.toMiB(Long.parseLong(m.group(1)), m.group(2).toUpperCase(java.util.Locale.ROOT));
    }
}
