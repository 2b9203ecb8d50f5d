package org.flowbench.samplers.boss;

import java.nio.file.Path;

/** For a test: BOSS schedules cached in a folder of its own and forgotten in memory, restored when closed. */
final class ScheduleCache implements AutoCloseable {
    private final String previous;

    private ScheduleCache(Path dir) {
        previous = System.getProperty("flowbench.cache");
        System.setProperty("flowbench.cache", dir.toString());
        BossSchedule.clearMemory();
    }

    static ScheduleCache at(Path dir) {
        return new ScheduleCache(dir);
    }

    @Override
    public void close() {
        BossSchedule.clearMemory();
        if (previous == null) {
            System.clearProperty("flowbench.cache");
        } else {
            System.setProperty("flowbench.cache", previous);
        }
    }
}
