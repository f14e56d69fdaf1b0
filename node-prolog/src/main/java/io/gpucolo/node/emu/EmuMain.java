package io.gpucolo.node.emu;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point for the emulated-GPU commands when run without the {@code gpucolo} launcher (the MPS stand-in's
 * background daemon and the tests start it with {@code java -cp ... io.gpucolo.node.emu.EmuMain emu-gpu ...}).
 */
@Command(name = "gpucolo", subcommands = {EmuGpuCommand.class, EmuInferCommand.class, EmuTrainCommand.class,
        EmuMpsControlCommand.class})
public final class EmuMain {
    private EmuMain() {
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new EmuMain());
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            c.getErr().println("gpucolo " + c.getCommandName() + ": " + ex.getMessage());
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        System.exit(cl.execute(args));
    }
}
