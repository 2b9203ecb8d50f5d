package org.flowbench.engine.device;

import java.util.ArrayList;
import java.util.List;

/** An NVML that reports made-up GPUs: the probe, the chooser and the telemetry tested without a GPU. */
class FakeNvml implements Nvml {
    record Card(String name, long total, long used, int util, int milliwatts, int celsius, long mine) {}

    final List<Card> cards = new ArrayList<>();
    String driver = "550.54.15";
    int cuda = 12040;
    int inits;
    int shutdowns;
    long pidAsked = -1;

    FakeNvml add(String name, long totalGiB, double usedGiB, int util, int milliwatts, int celsius, long mineBytes) {
        cards.add(new Card(name, totalGiB << 30, (long) (usedGiB * (1L << 30)), util, milliwatts, celsius, mineBytes));
        return this;
    }

    @Override
    public int init() {
        inits++;
        return 0;
    }

    @Override
    public void shutdown() {
        shutdowns++;
    }

    @Override
    public String driverVersion() {
        return driver;
    }

    @Override
    public int cudaDriverVersion() {
        return cuda;
    }

    @Override
    public int deviceCount() {
        return cards.size();
    }

    @Override
    public String name(int device) {
        return cards.get(device).name();
    }

    @Override
    public long[] memory(int device) {
        Card c = cards.get(device);
        return new long[] {c.total(), c.used(), c.total() - c.used()};
    }

    @Override
    public int utilizationPercent(int device) {
        return cards.get(device).util();
    }

    @Override
    public int powerMilliwatts(int device) {
        return cards.get(device).milliwatts();
    }

    @Override
    public int temperatureCelsius(int device) {
        return cards.get(device).celsius();
    }

    @Override
    public long processMemoryBytes(int device, long pid) {
        pidAsked = pid;
        return cards.get(device).mine();
    }
}
