package org.spdiff.pipelines.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.resourcehints.ResourceHints;
import org.junit.jupiter.api.Test;

class GpuHintsTest {
  private static GpuOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(GpuOptions.class);
  }

  @Test
  void emptyFlagsGiveNoHints() {
    GpuOptions o = options();
    assertFalse(GpuHints.enabled(o));
    assertTrue(GpuHints.of(o).hints().isEmpty());
    MapElements<String, String> t = identity();
    assertSame(t, GpuHints.onGpu(t, o));
    assertTrue(t.getResourceHints().hints().isEmpty());
  }

  @Test
  void acceleratorAndMinRamBecomeHints() {
    GpuOptions o =
        options(
            "--gpuAccelerator=type:nvidia-l4;count:1;install-nvidia-driver", "--gpuMinRam=16GiB");
    ResourceHints hints = GpuHints.of(o);
    assertEquals(
        "type:nvidia-l4;count:1;install-nvidia-driver",
        new String(
            hints.hints().get(GpuHints.ACCELERATOR_URN).toBytes(), StandardCharsets.US_ASCII));
    assertEquals(
        String.valueOf(16L << 30),
        new String(hints.hints().get(GpuHints.MIN_RAM_URN).toBytes(), StandardCharsets.US_ASCII));
    MapElements<String, String> t = GpuHints.onGpu(identity(), o);
    assertEquals(hints, t.getResourceHints());
  }

  @Test
  void malformedFlagsNameTheFlag() {
    IllegalArgumentException noType =
        assertThrows(
            IllegalArgumentException.class, () -> GpuHints.of(options("--gpuAccelerator=count:1")));
    assertTrue(noType.getMessage().startsWith("--gpuAccelerator"), noType.getMessage());
    IllegalArgumentException badCount =
        assertThrows(
            IllegalArgumentException.class,
            () -> GpuHints.of(options("--gpuAccelerator=type:nvidia-l4;count:0")));
    assertTrue(badCount.getMessage().startsWith("--gpuAccelerator"), badCount.getMessage());
    IllegalArgumentException ram =
        assertThrows(
            IllegalArgumentException.class, () -> GpuHints.of(options("--gpuMinRam=lots")));
    assertTrue(ram.getMessage().startsWith("--gpuMinRam"), ram.getMessage());
  }

  private static MapElements<String, String> identity() {
    return MapElements.via(
        new SimpleFunction<String, String>() {
          @Override
          public String apply(String s) {
            return s;
          }
        });
  }
}
