package io.gpucolo.admission.latency;

/** A calibration profile file that cannot be read: the message is {@code FILE:LINE: what is wrong}. */
public final class ProfileFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final int line;

    public ProfileFormatException(String file, int line, String message) {
        super(file + ":" + line + ": " + message);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    /** 1-based line number the problem was found on. */
    public int line() {
        return line;
    }
}
