package org.flowbench.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.flowbench.engine.device.GpuProbe;
import org.junit.jupiter.api.Test;

/** The Device panel's GPU line and a lane's memory tooltip, from NVML's figures (no GPU needed). */
class DevicePanelTextTest {
    @Test
    void aGpuLineShowsMemoryThisProcessUtilisationPowerAndTemperature() {
        GpuProbe.Gpu h100 = new GpuProbe.Gpu(0, "NVIDIA H100", 80L << 30, (long) (12.5 * (1L << 30)),
                (long) (67.5 * (1L << 30)), 87, 310.4, 61, 3L << 30);
        assertEquals("NVIDIA H100 · 12.5 / 80.0 GiB (this process 3.00 GiB) · 87 % busy · 310 W · 61 °C",
                DeviceText.gpuLine(h100));
        GpuProbe.Gpu quiet = new GpuProbe.Gpu(1, "NVIDIA A10", 24L << 30, 1L << 30, 23L << 30, -1, Double.NaN, -1, -1);
        assertEquals("NVIDIA A10 · 1.0 / 24.0 GiB", DeviceText.gpuLine(quiet), "figures a card does not give are left out");
    }

    @Test
    void aLanesMemoryTooltipNamesTheGpuPeakOnlyWhereThereIsOne() {
        assertEquals(String.format("%npeak memory 512 MiB (process)"), DeviceText.memoryLine(512, Double.NaN));
        assertEquals(String.format("%npeak memory 512 MiB (process)%npeak GPU memory 2048 MiB (this process, NVML, "
                + "after each batch)"), DeviceText.memoryLine(512, 2048));
        assertEquals("", DeviceText.memoryLine(Double.NaN, Double.NaN));
    }
}
