package io.gpucolo.admitd;

import io.gpucolo.admitd.cli.AdmitdCommand;
import picocli.CommandLine;

/** Entry point of the daemon alone ({@code java -cp ... io.gpucolo.admitd.AdmitdMain --policy FILE ...}). */
public final class AdmitdMain {
    private AdmitdMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new AdmitdCommand()).execute(args));
    }
}
