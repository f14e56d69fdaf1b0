package io.gpucolo.node.launcher;

/** Installs signal handlers through the JDK's signal API (the launcher forwards what it receives). */
final class RunSignals {
    private RunSignals() {
    }

    @SuppressWarnings("removal")
    static void on(String name, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> action.run());
        } catch (IllegalArgumentException e) {
            System.err.println("gpucolo run: warning: cannot handle SIG" + name + " in this JVM: " + e.getMessage());
        }
    }
}
