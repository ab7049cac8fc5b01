package org.spdiff.pipelines.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {
  @TempDir Path dir;

  @Test
  void writeReadListAndComplete() {
    ArtifactStore s = new ArtifactStore(dir.toString());
    assertFalse(s.isComplete("teacher", "k1"));
    s.write("teacher", "k1", "a.bin", new byte[] {1, 2, 3});
    s.writeString("teacher", "k1", "b.json", "{}");
    assertFalse(s.isComplete("teacher", "k1"), "files alone do not complete a key");
    assertArrayEquals(new byte[] {1, 2, 3}, s.read("teacher", "k1", "a.bin").orElseThrow());
    assertTrue(s.read("teacher", "k1", "missing").isEmpty());
    assertEquals(List.of("a.bin", "b.json"), s.list("teacher", "k1", ""));
    assertTrue(s.markComplete("teacher", "k1", "{\"ok\":1}"));
    assertTrue(s.isComplete("teacher", "k1"));
    String marker =
        new String(s.require("teacher", "k1", ArtifactStore.MARKER), StandardCharsets.UTF_8);
    assertTrue(marker.contains("\"ok\" : 1"), marker);
    // SHA-256 of the bytes 1, 2, 3 (sha256sum of printf '\x01\x02\x03').
    assertTrue(
        marker.contains("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81"),
        marker);
    assertArrayEquals(new byte[] {1, 2, 3}, s.read("teacher", "k1", "a.bin").orElseThrow());
  }

  @Test
  void secondClaimOfAKeyLosesAndKeepsTheFirstMarker() {
    ArtifactStore s = new ArtifactStore(dir.toString());
    assertTrue(s.markComplete("score", "k", "{\"run\":\"first\"}"));
    assertFalse(s.markComplete("score", "k", "{\"run\":\"second\"}"));
    assertTrue(new String(s.require("score", "k", ArtifactStore.MARKER)).contains("first"));
  }

  @Test
  void concurrentClaimsHaveExactlyOneWinnerAndNoTemporariesLeft() throws Exception {
    ArtifactStore s = new ArtifactStore(dir.toString());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 20; round++) {
        String key = "k" + round;
        List<Future<Boolean>> results =
            Stream.<java.util.concurrent.Callable<Boolean>>generate(
                    () ->
                        () -> {
                          s.write("variant", key, "weights", new byte[64]);
                          return s.markComplete("variant", key, "{}");
                        })
                .limit(8)
                .map(pool::submit)
                .toList();
        int winners = 0;
        for (Future<Boolean> f : results) {
          winners += f.get() ? 1 : 0;
        }
        assertEquals(1, winners, "round " + round);
      }
    } finally {
      pool.shutdown();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".tmp-")));
    }
  }
}
