package io.gpucolo.admitd.slurm;

/** A Slurm command failed, timed out, or printed output in a format admitd does not understand. */
public final class SlurmFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public SlurmFormatException(String message) {
        super(message);
    }

    public SlurmFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
