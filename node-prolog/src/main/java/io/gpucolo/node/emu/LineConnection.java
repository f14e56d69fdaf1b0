package io.gpucolo.node.emu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A line-oriented Unix-socket connection whose writes never block the caller: lines go to a queue that a writer
 * thread drains. A peer that stops reading (a SIGSTOPped client) therefore never stalls the emulated GPU.
 */
final class LineConnection implements AutoCloseable {
    private static final String EOF = "\u0000eof";
    private final SocketChannel channel;
    private final BufferedReader in;
    private final LinkedBlockingQueue<String> out = new LinkedBlockingQueue<>();
    private final Thread writer;

    LineConnection(SocketChannel channel, String name) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.writer = new Thread(this::drain, name + "-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Next line, or null at end of stream. Lines longer than 4096 characters are refused. */
    String readLine() throws IOException {
        String line = in.readLine();
        if (line != null && line.length() > 4096) {
            throw new IOException("line longer than 4096 characters");
        }
        return line;
    }

    void send(String line) {
        out.add(line);
    }

    private void drain() {
        try {
            while (true) {
                String line = out.take();
                if (line == EOF) {
                    return;
                }
                ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            }
        } catch (IOException | InterruptedException e) {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Flushes what is queued (bounded wait), then closes. */
    @Override
    public void close() {
        out.add(EOF);
        try {
            writer.join(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly();
    }
}
