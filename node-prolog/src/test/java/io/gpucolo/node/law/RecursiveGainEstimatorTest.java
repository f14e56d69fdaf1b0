package io.gpucolo.node.law;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RecursiveGainEstimatorTest {
    @Test
    void oneStepFollowsTheRlsEquations() {
        RecursiveGainEstimator rls = new RecursiveGainEstimator(1.0, 1.0, 0.9, 100, 0.02);
        // phi 0.5, y 1.0: K = 0.5 / (0.9 + 0.25); b = 1 + K (1 - 0.5); P = (1 - K 0.5) / 0.9
        double k = 0.5 / 1.15;
        assertEquals(1 + k * 0.5, rls.observe(0.5, 1.0), 1e-12);
        assertEquals((1 - k * 0.5) / 0.9, rls.covariance(), 1e-12);
    }

    @Test
    void noExcitationNoUpdateAndNoCovarianceWindup() {
        RecursiveGainEstimator rls = new RecursiveGainEstimator(1.0, 1.0, 0.9, 100, 0.02);
        assertEquals(1.0, rls.observe(0.01, 5.0), 0);
        assertEquals(1.0, rls.covariance(), 0);
    }

    @Test
    void covarianceIsCapped() {
        RecursiveGainEstimator rls = new RecursiveGainEstimator(1.0, 2.0, 0.1, 2.0, 0.02);
        rls.observe(0.02, 0.02);   // (P - K phi P) / 0.1 would be ~19.9
        assertEquals(2.0, rls.covariance(), 0);
    }
}
