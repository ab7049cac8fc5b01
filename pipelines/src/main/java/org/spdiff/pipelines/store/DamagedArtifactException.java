package org.spdiff.pipelines.store;

/**
 * A file of a complete key does not match what its marker recorded (missing, other size, other
 * SHA-256, or not recorded at all). The message names the store, the key, the file and what
 * differs, and says how to set the key aside so the next run recomputes it.
 */
public final class DamagedArtifactException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public DamagedArtifactException(String root, String stage, String key, String name, String what) {
    super(
        "damaged artifact "
            + root
            + "/"
            + stage
            + "/"
            + key
            + "/"
            + name
            + " (store "
            + root
            + ", "
            + stage
            + " key "
            + key
            + "): "
            + what
            + "; `spdiff verify "
            + root
            + " --quarantine=true` sets the key aside so the next run recomputes it");
  }
}
