package io.gpucolo.admitd.cli;

import java.io.IOException;
import java.nio.file.Path;

/** What a local admin client needs to talk to admitd: its port and the shared secret (from the hook settings). */
public record HookConfView(int port, String secret) {
    public static HookConfView read(Path hookConf) throws IOException {
        HookConf c = HookConf.read(hookConf);
        return new HookConfView(c.port(), Secrets.read(c.secretFile()));
    }
}
