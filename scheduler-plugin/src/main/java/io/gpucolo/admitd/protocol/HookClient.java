package io.gpucolo.admitd.protocol;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A Java client of the hook protocol (admin CLI, tests, benchmarks): one request, one reply line. */
public final class HookClient {
    private final int port;
    private final String secret;
    private final Duration timeout;

    public HookClient(int port, String secret, Duration timeout) {
        this.port = port;
        this.secret = secret;
        this.timeout = timeout;
    }

    public Reply ask(Request request) throws IOException, ProtocolException {
        try (Socket s = new Socket()) {
            int ms = (int) timeout.toMillis();
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), ms);
            s.setSoTimeout(ms);
            OutputStream out = s.getOutputStream();
            out.write((request.encode(secret) + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            String line = in.readLine();
            if (line == null) {
                throw new IOException("admitd closed the connection without a reply");
            }
            return Reply.parse(line);
        }
    }
}
