package io.gpucolo.sim.policies;

/**
 * What the datacenter asks of the control tier on co-located GPUs: told when a GPU's situation changed,
 * it decides when to step the GPU's laws. {@link #NONE} leaves training at its requested share, duty 1.
 */
public interface Controller {
    Controller NONE = new Controller() {
        @Override
        public void changed(int gpu, long nowMs, boolean membership) {
        }

        @Override
        public void step(int gpu, long nowMs) {
        }

        @Override
        public long steps() {
            return 0;
        }
    };

    /** Membership ({@code membership} true) or load changed on a GPU; wake its control loop if it has one. */
    void changed(int gpu, long nowMs, boolean membership);

    /** A control event for this GPU is due now. */
    void step(int gpu, long nowMs);

    long steps();
}
