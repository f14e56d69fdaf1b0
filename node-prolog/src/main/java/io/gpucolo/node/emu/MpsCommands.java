package io.gpucolo.node.emu;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The control commands of {@code nvidia-cuda-mps-control}, as the emulated daemon executes them. Supported:
 * {@code get_server_list}, {@code start_server -uid UID}, {@code get_client_list PID},
 * {@code set_default_active_thread_percentage P}, {@code get_default_active_thread_percentage},
 * {@code set_active_thread_percentage PID P}, {@code get_active_thread_percentage PID},
 * {@code set_default_device_pinned_mem_limit DEV SIZE}, {@code get_default_device_pinned_mem_limit DEV},
 * {@code set_device_pinned_mem_limit PID DEV SIZE}, {@code get_device_pinned_mem_limit PID DEV},
 * {@code terminate_client SERVER_PID CLIENT_PID}, {@code quit [-t SECONDS]}. Output lines follow the real tool;
 * errors are lines starting with {@code Error:} (the real tool prints free text; the hooks only look for the
 * expected output).
 */
final class MpsCommands {
    private MpsCommands() {
    }

    static List<String> execute(EmuMpsDaemon d, String line) {
        String[] w = line.split("\\s+");
        MpsState st = d.state;
        List<String> out = new ArrayList<>();
        try {
            switch (w[0]) {
                case "get_server_list" -> st.serverPids().forEach(p -> out.add(Long.toString(p)));
                case "start_server" -> {
                    need(w, 3, "start_server -uid UID");
                    if (!w[1].equals("-uid")) {
                        throw new IllegalArgumentException("usage: start_server -uid UID");
                    }
                    long uid = Long.parseLong(w[2]);
                    Optional<MpsState.Server> s = st.serverFor(uid);
                    if (s.isEmpty()) {
                        out.add("Error: the server of user " + st.active().orElseThrow().uid
                                + " is active with clients; user " + uid + " must wait");
                    } else {
                        d.log("Server " + s.get().pid + " for user " + uid + " running");
                    }
                }
                case "get_client_list" -> {
                    need(w, 2, "get_client_list PID");
                    server(st, w[1]).clients.keySet().forEach(p -> out.add(Long.toString(p)));
                }
                case "set_default_active_thread_percentage" -> {
                    need(w, 2, "set_default_active_thread_percentage P");
                    st.defaultPercent = percent(w[1]);
                    out.add(Integer.toString(st.defaultPercent));
                }
                case "get_default_active_thread_percentage" -> out.add(Integer.toString(st.defaultPercent));
                case "set_active_thread_percentage" -> {
                    need(w, 3, "set_active_thread_percentage PID P");
                    MpsState.Server s = server(st, w[1]);
                    s.percent = percent(w[2]);
                    out.add(Integer.toString(s.percent));
                }
                case "get_active_thread_percentage" -> {
                    need(w, 2, "get_active_thread_percentage PID");
                    out.add(Integer.toString(server(st, w[1]).percent));
                }
                case "set_default_device_pinned_mem_limit" -> {
                    need(w, 3, "set_default_device_pinned_mem_limit DEV SIZE");
                    st.defaultMemLimitMiB.put(device(w[1]), MpsState.sizeMiB(w[2]));
                }
                case "get_default_device_pinned_mem_limit" -> {
                    need(w, 2, "get_default_device_pinned_mem_limit DEV");
                    Long v = st.defaultMemLimitMiB.get(device(w[1]));
                    out.add(v == null ? "0" : v + "M");
                }
                case "set_device_pinned_mem_limit" -> {
                    need(w, 4, "set_device_pinned_mem_limit PID DEV SIZE");
                    server(st, w[1]).memLimitMiB.put(device(w[2]), MpsState.sizeMiB(w[3]));
                }
                case "get_device_pinned_mem_limit" -> {
                    need(w, 3, "get_device_pinned_mem_limit PID DEV");
                    Long v = server(st, w[1]).memLimitMiB.get(device(w[2]));
                    out.add(v == null ? "0" : v + "M");
                }
                case "terminate_client" -> {
                    need(w, 3, "terminate_client SERVER_PID CLIENT_PID");
                    LineConnection conn = server(st, w[1]).clients.get(Long.parseLong(w[2]));
                    if (conn == null) {
                        throw new IllegalArgumentException("no client " + w[2] + " on server " + w[1]);
                    }
                    conn.send("TERMINATE");
                    d.log("Terminating client " + w[2]);
                }
                case "quit" -> {
                    long t = w.length >= 3 && w[1].equals("-t") ? Long.parseLong(w[2]) * 1000 : 0;
                    d.quit(t);
                }
                case "" -> { }
                default -> throw new IllegalArgumentException("unknown command '" + w[0] + "'");
            }
        } catch (NumberFormatException e) {
            out.add("Error: bad number in '" + line + "'");
        } catch (IllegalArgumentException e) {
            out.add("Error: " + e.getMessage());
        }
        d.log("Command: " + line + (out.isEmpty() ? "" : " -> " + String.join(" ", out)));
        return out;
    }

    private static void need(String[] w, int n, String usage) {
        if (w.length < n) {
            throw new IllegalArgumentException("usage: " + usage);
        }
    }

    private static MpsState.Server server(MpsState st, String pid) {
        return st.server(Long.parseLong(pid))
                .orElseThrow(() -> new IllegalArgumentException("no MPS server with pid " + pid));
    }

    private static int percent(String s) {
        int p = (int) Math.ceil(Double.parseDouble(s));
        if (p < 1 || p > 100) {
            throw new IllegalArgumentException("percentage must be 1..100, got " + s);
        }
        return p;
    }

    private static int device(String s) {
        int d = Integer.parseInt(s);
        if (d < 0 || d > 1023) {
            throw new IllegalArgumentException("device must be 0..1023, got " + s);
        }
        return d;
    }
}
