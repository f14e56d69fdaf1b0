package io.gpucolo.node.sensor;

/** A latency sensor could not give a window; the message says which endpoint and why. */
public final class SensorUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public SensorUnavailableException(String message) {
        super(message);
    }

    public SensorUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
