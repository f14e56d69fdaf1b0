package io.gpucolo.node.hooks;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * The jobs using one GPU's MPS daemon, one file per job ({@code STATE/gpus/gN/JOBID} holding the uid), under an
 * exclusive file lock ({@code STATE/gpus/gN.lock}) so that prologs and epilogs of jobs starting and ending together
 * see each other: the last one out quits the daemon, exactly once.
 */
final class GpuRegistry implements AutoCloseable {
    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private GpuRegistry(Path dir, FileChannel ch, FileLock lock) {
        this.dir = dir;
        this.lockChannel = ch;
        this.lock = lock;
    }

    static GpuRegistry lock(Path dir) throws IOException {
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolveSibling(dir.getFileName() + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        return new GpuRegistry(dir, ch, ch.lock());
    }

    /** uid by job id. Unreadable entries are skipped. */
    Map<String, Long> jobs() throws IOException {
        Map<String, Long> m = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                try {
                    m.put(p.getFileName().toString(), Long.parseLong(Files.readString(p, StandardCharsets.UTF_8).trim()));
                } catch (NumberFormatException | IOException e) {
                    // a half-written or foreign file: ignore it
                }
            }
        }
        return m;
    }

    void add(String jobId, long uid) throws IOException {
        Files.writeString(dir.resolve(jobId), uid + "\n", StandardCharsets.UTF_8);
    }

    void remove(String jobId) throws IOException {
        Files.deleteIfExists(dir.resolve(jobId));
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
    }
}
