package io.gpucolo.node.noded;

/** noded refused a request, or could not be reached in time; the message says which and why. */
public final class NodedException extends Exception {
    private static final long serialVersionUID = 1L;

    public NodedException(String message) {
        super(message);
    }

    public NodedException(String message, Throwable cause) {
        super(message, cause);
    }
}
