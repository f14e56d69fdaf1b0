package io.gpucolo.node.law;

import java.time.Instant;

/** One step of an inner law, as a tracing decorator records it. */
public record InnerTrace(Instant at, double tightestSlack, double meanLatencyMs, double dutyBefore, double dutyAfter) {
}
