package org.spdiff.pipelines.estimate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * Calibrations on disk: one JSON file per {@link Machine} under {@code <cacheDir>/estimate/}
 * ({@code cacheDir}: {@code $SPDIFF_CACHE_DIR}, else {@code ~/.cache/spdiff}, as for downloaded
 * weights), holding the machine's id and the measured seconds per unit of every workload measured
 * so far. Written whole to a temporary file and moved into place.
 */
public final class CalibrationCache {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;
  private final Machine machine;

  public CalibrationCache(Path cacheDir, Machine machine) {
    this.file = cacheDir.resolve("estimate").resolve(machine.fileName());
    this.machine = machine;
  }

  /** The cache file of this machine. */
  public Path file() {
    return file;
  }

  /** The rates measured on this machine so far (none when the file is absent or not ours). */
  public Rates load() {
    Map<String, Double> rates = new TreeMap<>();
    if (Files.isRegularFile(file)) {
      try {
        JsonNode root = JSON.readTree(file.toFile());
        if (machine.id().equals(root.path("machine").asText())) {
          root.path("secondsPer")
              .fields()
              .forEachRemaining(
                  e -> {
                    if (e.getValue().isNumber() && e.getValue().asDouble() > 0) {
                      rates.put(e.getKey(), e.getValue().asDouble());
                    }
                  });
        }
      } catch (IOException e) {
        // An unreadable cache is measured again.
      }
    }
    return new Rates(machine.id(), rates);
  }

  /** Writes {@code rates} as this machine's calibration. */
  public void save(Rates rates) {
    ObjectNode root = JSON.createObjectNode();
    root.put("machine", machine.id());
    root.put("host", machine.host());
    root.put("cpu", machine.cpu());
    root.put("cores", machine.cores());
    root.put("threads", machine.threads());
    ObjectNode r = root.putObject("secondsPer");
    new TreeMap<>(rates.secondsPer()).forEach(r::put);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".calibration-", ".tmp");
      try {
        JSON.writeValue(tmp.toFile(), root);
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the calibration cache " + file, e);
    }
  }
}
