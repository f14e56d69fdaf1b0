package io.gpucolo.cli.demo;

/**
 * The load the demo drives, per inference service from the moment it serves: {@code warmupS} at nominal
 * load, {@code burstS} at {@code burstFactor} times nominal, {@code cooldownS} at nominal again.
 * Training jobs are submitted one every {@code trainingEveryS} seconds from the start until
 * {@code trainingJobs} have been submitted.
 */
record DemoSchedule(int warmupS, int burstS, int cooldownS, double burstFactor, int trainingJobs,
                    double trainingEveryS) {
    /**
     * The README's demo: about 80 s of load. The training stream (one job every 1.5 s) has started before
     * the burst, so that the burst is measured against settled co-location, not against training start-ups
     * (on a 2-core machine a JVM start-up steals the emulated inference server's CPU).
     */
    static final DemoSchedule STANDARD = new DemoSchedule(30, 30, 15, 2.0, 6, 1.5);
    /** The end-to-end test's schedule. */
    static final DemoSchedule QUICK = new DemoSchedule(10, 10, 5, 2.0, 4, 1.0);

    DemoSchedule {
        if (warmupS < 1 || burstS < 1 || cooldownS < 0 || warmupS + burstS + cooldownS > 240) {
            throw new IllegalArgumentException("schedule: warm-up and burst must be >= 1 s, cool-down >= 0 s and the"
                    + " whole load <= 240 s (the demo must end within 5 minutes); got " + warmupS + "/" + burstS + "/"
                    + cooldownS + " s");
        }
        if (!(burstFactor >= 1 && burstFactor <= 4)) {
            throw new IllegalArgumentException("schedule: burst factor must be within 1..4, got " + burstFactor);
        }
        if (trainingJobs < 0 || trainingJobs > 64) {
            throw new IllegalArgumentException("schedule: training jobs must be within 0..64, got " + trainingJobs);
        }
        if (!(trainingEveryS > 0)) {
            throw new IllegalArgumentException("schedule: training interval must be positive, got " + trainingEveryS);
        }
    }

    int totalS() {
        return warmupS + burstS + cooldownS;
    }

}
