package io.gpucolo.node.emu;

/** What an emulated-GPU client is: an inference server or a training loop. */
public enum ClientKind {
    INFER, TRAIN;

    static ClientKind parse(String s) {
        return switch (s) {
            case "infer" -> INFER;
            case "train" -> TRAIN;
            default -> throw new IllegalArgumentException("kind must be infer or train, got '" + s + "'");
        };
    }

    String wire() {
        return this == INFER ? "infer" : "train";
    }
}
