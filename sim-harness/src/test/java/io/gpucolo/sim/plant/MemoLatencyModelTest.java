package io.gpucolo.sim.plant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gpucolo.admission.latency.CalibratedLatencyModel;
import io.gpucolo.admission.latency.Interference;
import io.gpucolo.admission.latency.LatencyEstimate;
import io.gpucolo.admission.model.ServiceLoad;
import org.junit.jupiter.api.Test;

class MemoLatencyModelTest {
    @Test
    void remembersExactlyTheModelsAnswersAndAsksEachQuestionOnce() {
        CalibratedLatencyModel real = CalibratedLatencyModel.builtIn();
        MemoLatencyModel memo = new MemoLatencyModel(real);
        int questions = 0;
        for (int round = 0; round < 2; round++) {
            questions = 0;
            for (String m : real.models()) {
                for (int rate = 0; rate <= 400; rate += 40) {
                    for (int share = 0; share <= 100; share += 25) {
                        for (int others = 0; others < 3; others++) {
                            ServiceLoad load = new ServiceLoad(rate * 0.37, 8);
                            Interference in = new Interference(others, share, share == 0 ? 0 : 1.0);
                            LatencyEstimate want = real.predict(m, "A100-80GB", load, 100, in);
                            assertEquals(want, memo.predict(m, "A100-80GB", load, 100, in), m + " " + rate + " " + share);
                            questions++;
                        }
                    }
                }
            }
            assertEquals(questions, memo.misses(), "the second round is answered from memory");
        }
        // a fractional duty cycle does not pack: always asked, still exact
        Interference half = new Interference(1, 30, 0.5);
        ServiceLoad load = new ServiceLoad(50, 8);
        String m = real.models().get(0);
        assertEquals(real.predict(m, "A100-80GB", load, 100, half), memo.predict(m, "A100-80GB", load, 100, half));
        assertEquals(real.predict(m, "A100-80GB", load, 100, half), memo.predict(m, "A100-80GB", load, 100, half));
        assertEquals(questions + 2, memo.misses());
    }
}
