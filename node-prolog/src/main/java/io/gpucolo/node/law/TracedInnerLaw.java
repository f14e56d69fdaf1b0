package io.gpucolo.node.law;

import java.util.Objects;
import java.util.function.Consumer;

/** Decorator: hands every step of an inner law ({@link InnerTrace}) to a sink; the law itself never logs. */
public final class TracedInnerLaw implements InnerLaw {
    private final InnerLaw law;
    private final Consumer<InnerTrace> sink;

    public TracedInnerLaw(InnerLaw law, Consumer<InnerTrace> sink) {
        this.law = Objects.requireNonNull(law, "law");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public double update(LatencySample sample) {
        double before = law.duty();
        double after = law.update(sample);
        sink.accept(new InnerTrace(sample.at(), sample.tightestSlack(), sample.meanLatencyMs(), before, after));
        return after;
    }

    @Override
    public double duty() {
        return law.duty();
    }

    @Override
    public double floor() {
        return law.floor();
    }

    @Override
    public boolean loadHeld() {
        return law.loadHeld();
    }
}
