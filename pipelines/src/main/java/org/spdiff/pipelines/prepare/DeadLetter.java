package org.spdiff.pipelines.prepare;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Base64;

/**
 * A rejected input (FailsafeElement style): where it came from, why, the error text, and the first
 * bytes of the original payload (at most {@link #PREFIX_BYTES}) so that it can be inspected.
 *
 * @param source the source id (relative path, or {@code file#n})
 * @param reason a {@link DeadLetterReason#code()}
 * @param error the error message
 * @param firstBytesBase64 base64 of the first bytes of the payload ("" if none)
 * @param size the payload size in bytes (-1 if unknown)
 */
public record DeadLetter(
    String source, String reason, String error, String firstBytesBase64, long size)
    implements Serializable {

  /** How many leading payload bytes a dead letter keeps. */
  public static final int PREFIX_BYTES = 64;

  /** A dead letter for {@code payload} (may be null). */
  public static DeadLetter of(
      String source, DeadLetterReason reason, String error, byte[] payload) {
    String prefix =
        payload == null
            ? ""
            : Base64.getEncoder()
                .encodeToString(Arrays.copyOf(payload, Math.min(payload.length, PREFIX_BYTES)));
    return new DeadLetter(
        source,
        reason.code(),
        error == null ? "" : error,
        prefix,
        payload == null ? -1 : payload.length);
  }
}
