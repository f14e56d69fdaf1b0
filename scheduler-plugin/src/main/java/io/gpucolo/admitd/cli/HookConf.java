package io.gpucolo.admitd.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads {@code gpucolo-hook.conf} (what admitd wrote for the hook): where admitd listens and its secret. */
record HookConf(int port, Path secretFile) {
    static HookConf read(Path file) throws IOException {
        Map<String, String> kv = new LinkedHashMap<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(file + ":" + n + ":1: expected key=value");
            }
            kv.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
        }
        try {
            return new HookConf(Integer.parseInt(kv.getOrDefault("port", "6830")),
                    Path.of(kv.getOrDefault("secret_file", "/etc/slurm/gpucolo.secret")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": port is not a number: " + kv.get("port"));
        }
    }
}
