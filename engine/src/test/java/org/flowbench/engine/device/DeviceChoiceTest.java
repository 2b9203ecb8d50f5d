package org.flowbench.engine.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import org.flowbench.engine.FlowbenchException;
import org.junit.jupiter.api.Test;

/** NVML read through a fake driver, and the rules that pick a device on made-up machines (no GPU needed). */
class DeviceChoiceTest {
    private static final GpuProbe.Report NO_DRIVER = new GpuProbe.Report(List.of(), GpuProbe.NO_DRIVER, null, -1);

    @Test
    void theProbeReadsEveryFigureNvmlGives() {
        FakeNvml nvml = new FakeNvml().add("NVIDIA H100 80GB HBM3", 80, 12.5, 87, 310_400, 61, 3L << 30)
                .add("NVIDIA A10", 24, 1, 0, -1, -1, -1);
        GpuProbe.Report r = GpuProbe.probe(nvml);
        assertEquals(2, r.gpus().size());
        GpuProbe.Gpu h = r.gpus().get(0);
        assertEquals("NVIDIA H100 80GB HBM3", h.name());
        assertEquals(80L << 30, h.memoryTotalBytes());
        assertEquals((long) (12.5 * (1L << 30)), h.memoryUsedBytes());
        assertEquals((80L << 30) - h.memoryUsedBytes(), h.memoryFreeBytes());
        assertEquals(87, h.utilizationPercent());
        assertEquals(310.4, h.powerWatts(), 1e-12);
        assertEquals(61, h.temperatureCelsius());
        assertEquals(3L << 30, h.processMemoryBytes());
        assertEquals(ProcessHandle.current().pid(), nvml.pidAsked, "this process's memory, by its pid");
        // a card that does not report power or temperature still reports the rest
        assertTrue(Double.isNaN(r.gpus().get(1).powerWatts()));
        assertEquals(-1, r.gpus().get(1).temperatureCelsius());
        assertEquals("550.54.15", r.driverVersion());
        assertEquals(12040, r.cudaDriverVersion());
        assertEquals(1, nvml.shutdowns, "NVML is closed after each reading");
        assertTrue(r.summary().contains("GPU 0: NVIDIA H100 80GB HBM3, 12.5/80.0 GiB, 87%, 310 W, 61 °C"), r.summary());
        assertTrue(r.summary().endsWith("(driver 550.54.15, CUDA 12.4)"), r.summary());
        assertEquals("NVIDIA H100 80GB HBM3, 67.5 GiB free of 80.0 GiB", h.label());
    }

    @Test
    void aMissingDriverOrAFailingCallIsNoGpuNeverACrash() {
        FakeNvml missing = new FakeNvml() {
            @Override
            public int init() {
                throw new UnsatisfiedLinkError("libnvidia-ml.so.1: cannot open shared object file");
            }
        };
        GpuProbe.Report r = GpuProbe.probe(missing);
        assertFalse(r.hasGpu());
        assertFalse(r.hasDriver());
        assertEquals("no GPU (no NVIDIA driver)", r.summary());
        FakeNvml refusing = new FakeNvml() {
            @Override
            public int init() {
                return 9; // NVML_ERROR_DRIVER_NOT_LOADED
            }
        };
        assertEquals("no GPU (NVML init failed with code 9)", GpuProbe.probe(refusing).summary());
    }

    private static Devices.Facts machine(String flavour, FakeNvml nvml, int engineGpus) {
        return new Devices.Facts(flavour, flavour.equals("cuda") ? "12.4" : "none",
                nvml == null ? NO_DRIVER : GpuProbe.probe(nvml), engineGpus, null);
    }

    @Test
    void autoFallsBackToTheCpuWithOneReasonAUserCanActOn() {
        Devices.Choice none = Devices.choose("auto", machine("cpu", null, 0));
        assertEquals(Device.cpu(), none.device());
        assertEquals("auto: using the CPU: no NVIDIA driver", none.fallback());

        FakeNvml h100 = new FakeNvml().add("NVIDIA H100", 80, 1, 0, 70_000, 30, 0);
        String cpuBuild = Devices.choose("auto", machine("cpu", h100, 0)).fallback();
        assertTrue(cpuBuild.contains("this is the CPU build") && cpuBuild.contains("flowbench-cuda")
                && cpuBuild.contains("NVIDIA H100"), cpuBuild);

        FakeNvml old = new FakeNvml().add("NVIDIA T4", 16, 1, 0, 20_000, 40, 0);
        old.driver = "470.256.02";
        old.cuda = 11040;
        String tooOld = Devices.choose("auto", machine("cuda", old, 0)).fallback();
        assertEquals("auto: using the CPU: the driver 470.256.02 supports CUDA 11.4, this build's CUDA 12.4 runtime "
                + "needs a driver for CUDA 12.0 or newer: update the driver", tooOld);
        // CUDA's minor-version compatibility: a driver for 12.2 runs the 12.4 runtime, so a 12.2 driver is no reason
        old.cuda = 12020;
        String engine = Devices.choose("auto", machine("cuda", old, 0)).fallback();
        assertEquals("auto: using the CPU: the engine cannot use the GPU", engine);

        FakeNvml full = new FakeNvml().add("NVIDIA A10", 24, 23.7, 100, 150_000, 80, 0);
        Devices.Choice oom = Devices.choose("auto", machine("cuda", full, 1));
        assertEquals(Device.cpu(), oom.device());
        assertTrue(oom.fallback().startsWith("auto: using the CPU: out of GPU memory (gpu:0 has 0.30 GiB free"),
                oom.fallback());

        FakeNvml noCards = new FakeNvml();
        assertEquals("auto: using the CPU: the NVIDIA driver sees no GPU",
                Devices.choose("auto", machine("cuda", noCards, 0)).fallback());
        for (String s : new String[] {none.fallback(), cpuBuild, tooOld, oom.fallback()}) {
            assertEquals(1, s.lines().count(), s);
        }
        // said on every command only where a GPU was to be expected
        assertFalse(Devices.fallbackWorthSaying(machine("cpu", null, 0)), "the CPU build on a machine without one");
        assertTrue(Devices.fallbackWorthSaying(machine("cpu", h100, 0)), "a GPU the CPU build cannot use");
        assertTrue(Devices.fallbackWorthSaying(machine("cuda", null, 0)), "the CUDA build without a driver");
    }

    @Test
    void autoTakesTheFirstGpuWithRoomAndGpuNIsChecked() {
        FakeNvml two = new FakeNvml().add("busy", 24, 23.5, 100, 1, 1, 0).add("free", 24, 2, 0, 1, 1, 0);
        Devices.Facts f = machine("cuda", two, 2);
        Devices.Choice c = Devices.choose("auto", f);
        assertEquals(Device.gpu(1), c.device());
        assertNull(c.fallback());
        assertEquals(Device.gpu(0), Devices.choose("gpu", f).device(), "an explicit choice is honoured");
        assertEquals(Device.gpu(1), Devices.choose("GPU:1", f).device());
        FlowbenchException beyond = assertThrows(FlowbenchException.class, () -> Devices.choose("gpu:2", f));
        assertTrue(beyond.getMessage().contains("the engine sees 2 GPU(s)"), beyond.getMessage());
        FlowbenchException cpuBuild = assertThrows(FlowbenchException.class,
                () -> Devices.choose("gpu", machine("cpu", two, 0)));
        assertTrue(cpuBuild.getMessage().contains("no GPU is usable (this is the CPU build"), cpuBuild.getMessage());
        assertThrows(FlowbenchException.class, () -> Devices.choose("gpu:x", f));
        assertThrows(FlowbenchException.class, () -> Devices.choose("tpu", f));
        assertEquals(Device.cpu(), Devices.choose("cpu", f).device());
    }

    @Test
    void telemetryReadsThisProcessesMemoryOnlyWhileModelsRunOnAGpu() {
        FakeNvml nvml = new FakeNvml().add("NVIDIA L4", 24, 4, 55, 60_000, 50, 1234L << 20);
        Nvml was = GpuTelemetry.use(nvml);
        try {
            GpuProbe.Report r = GpuTelemetry.sample(0);
            assertEquals(55, r.gpus().get(0).utilizationPercent());
            int inits = nvml.inits;
            GpuTelemetry.sample(60_000);
            assertEquals(inits, nvml.inits, "a fresh enough reading is shared, not re-read");
            assertEquals(-1, GpuTelemetry.processMemoryBytes(0), "models run on the CPU here");
            Devices.use("gpu:0", machine("cuda", nvml, 1));
            assertEquals("gpu:0", Devices.currentName());
            assertEquals(1234L << 20, GpuTelemetry.processMemoryBytes(0));
        } finally {
            GpuTelemetry.use(was);
            Devices.use("cpu");
        }
    }

    @Test
    void theDeviceBoxListsEachGpuWithFreeMemoryAndWhyOneIsUnusable() {
        FakeNvml h100 = new FakeNvml().add("NVIDIA H100", 80, 20, 0, 70_000, 30, 0);
        List<Devices.Option> cpuBuild = Devices.options(machine("cpu", h100, 0));
        assertEquals(List.of("auto", "cpu", "gpu:0"), cpuBuild.stream().map(Devices.Option::spec).toList());
        assertTrue(cpuBuild.get(0).label().startsWith("auto: cpu (this is the CPU build"), cpuBuild.get(0).label());
        Devices.Option gpu = cpuBuild.get(2);
        assertFalse(gpu.usable());
        assertTrue(gpu.label().startsWith("gpu:0: NVIDIA H100, 60.0 GiB free of 80.0 GiB (unusable: this is the CPU "
                + "build"), gpu.label());
        List<Devices.Option> cudaBuild = Devices.options(machine("cuda", h100, 1));
        assertEquals("auto: gpu:0", cudaBuild.get(0).label());
        assertTrue(cudaBuild.get(2).usable());
        assertEquals("gpu:0: NVIDIA H100, 60.0 GiB free of 80.0 GiB", cudaBuild.get(2).label());
    }

    @Test
    void manifestsDescribeTheCpuAndTheBuild() {
        var m = Devices.describe("cpu");
        assertEquals("cpu", m.get("flavour"));
        assertEquals(Runtime.getRuntime().availableProcessors(), m.get("cores"));
    }
}
