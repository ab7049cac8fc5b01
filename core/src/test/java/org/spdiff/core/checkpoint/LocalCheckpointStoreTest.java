package org.spdiff.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCheckpointStoreTest {

  @Test
  void putGetListAndIncompleteCheckpointsAreIgnored(@TempDir Path dir) throws IOException {
    LocalCheckpointStore s = new LocalCheckpointStore(dir);
    assertTrue(s.get("step-000000001/checkpoint.json").isEmpty());
    s.put("step-000000001/checkpoint.json", new byte[] {1});
    s.put("step-000000001/checkpoint.json", new byte[] {2, 3});
    s.put("step-000000002/weights.safetensors", new byte[] {4}); // no manifest: incomplete
    Files.writeString(dir.resolve("step-000000001/.tmp-x.part"), "partial"); // a crashed write
    assertArrayEquals(new byte[] {2, 3}, s.get("step-000000001/checkpoint.json").orElseThrow());
    assertEquals(
        List.of("step-000000001/checkpoint.json", "step-000000002/weights.safetensors"),
        s.list().stream().sorted().toList());
    assertEquals("step-000000001", Checkpoint.latest(s).orElseThrow());
    assertThrows(IllegalArgumentException.class, () -> s.put("../escape", new byte[0]));
  }
}
