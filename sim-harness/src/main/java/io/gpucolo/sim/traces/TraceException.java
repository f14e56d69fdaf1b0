package io.gpucolo.sim.traces;

/** Input that cannot be used: a missing or empty file, or a bad row under {@code --strict}. Maps to exit code 2. */
public final class TraceException extends IllegalArgumentException {
    public TraceException(String message) {
        super(message);
    }
}
