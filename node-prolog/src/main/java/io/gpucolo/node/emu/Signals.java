package io.gpucolo.node.emu;

/** Installs a SIGUSR1 handler (the launcher's default checkpoint signal) through the JDK's signal API. */
final class Signals {
    private Signals() {
    }

    @SuppressWarnings("removal")
    static void onUsr1(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("USR1"), s -> action.run());
        } catch (IllegalArgumentException e) {
            System.err.println("warning: cannot handle SIGUSR1 in this JVM (" + e.getMessage() + "); checkpoints disabled");
        }
    }
}
