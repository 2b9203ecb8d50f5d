package org.flowbench.engine.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.flowbench.engine.FlowbenchException;
import org.junit.jupiter.api.Test;

class DeviceTest {
    @Test
    void probeNeverThrowsAndAgreesWithTheMachine() {
        GpuProbe.Report r = GpuProbe.probe();
        assertNotNull(r.summary());
        boolean driver = java.nio.file.Files.exists(java.nio.file.Path.of("/proc/driver/nvidia/version"));
        if (!driver) {
            assertTrue(!r.hasGpu(), r.summary());
            assertTrue(r.summary().startsWith("no GPU"), r.summary());
        } else {
            assertTrue(r.hasGpu(), r.summary());
            assertTrue(r.gpus().get(0).memoryTotalBytes() > 0);
        }
    }

    @Test
    void djlRunsOfflineOnTheCpu() {
        assertEquals("true", System.getProperty("ai.djl.offline"));
        Device d = Devices.select("cpu");
        try (NDManager m = NDManager.newBaseManager(d)) {
            float[] v = m.create(new float[] {1, 2, 3}).mul(2).toFloatArray();
            assertEquals(6f, v[2]);
        }
        assertThrows(FlowbenchException.class, () -> Devices.select("tpu"));
        if (Devices.gpuCount() == 0) {
            assertThrows(FlowbenchException.class, () -> Devices.select("gpu:0"));
            assertEquals(Device.cpu(), Devices.select("auto"));
        }
    }

    @Test
    void withoutAGpuTheFidStaysOnTheCpuAndSaysWhy() {
        if (org.flowbench.engine.metrics.Linalg.cuda().isPresent()) {
            return; // a GPU machine with CUDA's libraries: the metrics tests run on this backend too (Backends)
        }
        assertNotNull(org.flowbench.engine.metrics.Linalg.cudaUnavailableReason());
        String was = System.getProperty("flowbench.linalg");
        System.setProperty("flowbench.linalg", "cuda");
        try {
            assertEquals("openblas", org.flowbench.engine.metrics.Linalg.get().name(), "forced cuda falls back");
        } finally {
            if (was == null) {
                System.clearProperty("flowbench.linalg");
            } else {
                System.setProperty("flowbench.linalg", was);
            }
        }
    }
}
