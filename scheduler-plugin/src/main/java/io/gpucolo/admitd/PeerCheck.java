package io.gpucolo.admitd;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Who is on the other end of a loopback TCP connection: the kernel's socket table ({@code /proc/net/tcp},
 * {@code /proc/net/tcp6}) lists the peer's own socket (local address = the peer's address and port, remote =
 * ours) with the uid that created it. admitd answers only the policy's {@code admitd.allowed_peer} (the user
 * slurmctld runs as, SlurmUser) and root; any other local user is refused even with the secret.
 */
final class PeerCheck {
    private static final Logger LOG = Logger.getLogger(PeerCheck.class.getName());
    private static final Path TCP4 = Path.of("/proc/net/tcp");
    private static final Path TCP6 = Path.of("/proc/net/tcp6");

    private final Set<Integer> allowed;
    private final Set<String> allowedNames;
    private final String description;

    PeerCheck(Set<Integer> allowed, Set<String> allowedNames, String description) {
        this.allowed = Set.copyOf(allowed);
        this.allowedNames = Set.copyOf(allowedNames);
        this.description = description;
    }

    /** Root and the uid of {@code user} (looked up with {@code id -u}); only root when the user does not exist. */
    static PeerCheck forUser(String user) {
        Set<Integer> uids = new TreeSet<>(List.of(0));
        OptionalInt uid = uidOf(user);
        if (uid.isPresent()) {
            uids.add(uid.getAsInt());
        } else {
            LOG.severe("admitd.allowed_peer: no user '" + user + "' on this machine; only root may ask for decisions");
        }
        return new PeerCheck(uids, new TreeSet<>(List.of("root", user)), "allowed_peer " + user + " and root (uids " + uids + ")");
    }

    private static OptionalInt uidOf(String user) {
        try {
            Process p = new ProcessBuilder("id", "-u", "--", user).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9]{1,10}")) {
                return OptionalInt.of(Integer.parseInt(out));
            }
        } catch (IOException e) {
            LOG.warning("cannot run id -u " + user + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OptionalInt.empty();
    }

    /** The uids that may ask. */
    Set<Integer> allowed() {
        return allowed;
    }

    /** For a peer whose user the kernel named (a Unix socket's SO_PEERCRED): empty when it may ask. */
    Optional<String> refusalOfUser(String user) {
        return allowedNames.contains(user) ? Optional.empty()
                : Optional.of("connection from user " + user + " refused: only " + description + " may ask");
    }

    /** Empty when the peer may ask; otherwise why not. */
    Optional<String> refusal(Socket s) {
        OptionalInt uid = peerUid((InetSocketAddress) s.getRemoteSocketAddress(), (InetSocketAddress) s.getLocalSocketAddress());
        if (uid.isEmpty()) {
            return Optional.of("cannot tell which user connected from port " + s.getPort() + " (not in /proc/net/tcp)");
        }
        if (!allowed.contains(uid.getAsInt())) {
            return Optional.of("connection from uid " + uid.getAsInt() + " refused: only " + description + " may ask");
        }
        return Optional.empty();
    }

    /** The uid owning the socket at {@code peer} connected to {@code local}, from the kernel's socket tables. */
    static OptionalInt peerUid(InetSocketAddress peer, InetSocketAddress local) {
        List<Path> tables = List.of(TCP4, TCP6);
        for (Path table : tables) {
            boolean v6 = table == TCP6;
            if (!v6 && !(peer.getAddress() instanceof Inet4Address)) {
                continue;
            }
            String want = hex(peer, v6) + " " + hex(local, v6);
            try {
                for (String line : Files.readAllLines(table, StandardCharsets.US_ASCII)) {
                    String[] f = line.strip().split("\\s+");
                    if (f.length > 7 && (f[1] + " " + f[2]).equals(want)) {
                        return OptionalInt.of(Integer.parseInt(f[7]));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                LOG.warning("cannot read " + table + ": " + e.getMessage());
            }
        }
        return OptionalInt.empty();
    }

    static String hex(InetSocketAddress a) {
        return hex(a, !(a.getAddress() instanceof Inet4Address));
    }

    /**
     * An address as the kernel prints it: IPv4 as one 32-bit word in host (little-endian) order, IPv6 as four
     * such words; then the port, 4 hex digits. An IPv4 address of a dual-stack socket (Java's) is listed in
     * {@code tcp6} as {@code ::ffff:a.b.c.d}.
     */
    static String hex(InetSocketAddress a, boolean v6) {
        InetAddress ip = a.getAddress();
        byte[] b = ip.getAddress();
        if (v6 && b.length == 4) {                       // an IPv4 address on a dual-stack (IPv6) socket
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(b, 0, mapped, 12, 4);
            b = mapped;
        }
        StringBuilder sb = new StringBuilder();
        for (int word = 0; word < b.length; word += 4) {
            for (int i = 3; i >= 0; i--) {
                sb.append(String.format("%02X", b[word + i] & 0xff));
            }
        }
        return sb.append(':').append(String.format(Locale.ROOT, "%04X", a.getPort())).toString();
    }
}
