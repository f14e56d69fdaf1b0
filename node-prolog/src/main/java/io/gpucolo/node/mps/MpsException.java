package io.gpucolo.node.mps;

/** An MPS control daemon that would not start, answer or quit; the message says which GPU and why. */
public final class MpsException extends Exception {
    private static final long serialVersionUID = 1L;

    public MpsException(String message) {
        super(message);
    }
}
