package io.gpucolo.admission.pipeline;

/** What every stage plugin has: a name, shown in explanations and decision reasons. */
public interface Plugin {
    String name();
}
