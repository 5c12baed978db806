package io.jdbcsync.internal.engine;

import org.junit.jupiter.api.Test;

/** Replays one random scenario of {@link ConvergencePropertyTest} by its parameters (for diagnosis). */
class ConvergenceReplayTest {
    @Test
    void replay() throws Exception {
        long seed = Long.getLong("replay.seed", 0);
        int devices = Integer.getInteger("replay.devices", 4);
        int steps = Integer.getInteger("replay.steps", 19);
        new ConvergencePropertyTest().devicesConverge(seed, devices, steps);
    }
}
