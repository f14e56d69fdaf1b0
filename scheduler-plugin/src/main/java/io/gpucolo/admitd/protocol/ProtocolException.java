package io.gpucolo.admitd.protocol;

/** A message that breaks the hook protocol: the peer gets an {@code error} reply naming the problem. */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
