package org.flowbench.app.session;

/** Where a lane stands in a run. */
public enum LaneStatus {
    WAITING, RUNNING, DONE, STOPPED, FAILED;

    public boolean finished() {
        return this == DONE || this == STOPPED || this == FAILED;
    }
}
