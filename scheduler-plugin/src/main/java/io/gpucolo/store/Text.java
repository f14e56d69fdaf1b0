package io.gpucolo.store;

/** Length checks for text columns, so a value the store accepts always fits its column. */
final class Text {
    private Text() {
    }

    static void check(String what, String value, int min, int max) {
        if (value == null) {
            throw new NullPointerException(what);
        }
        if (value.length() < min || value.length() > max) {
            throw new IllegalArgumentException(what + " must be " + min + ".." + max + " characters, got " + value.length());
        }
    }
}
