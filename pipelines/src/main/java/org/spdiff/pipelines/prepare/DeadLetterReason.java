package org.spdiff.pipelines.prepare;

/** Why an input record was routed to the dead letters. {@link #code()} is what manifests show. */
public enum DeadLetterReason {
  /** The file has no bytes. */
  ZERO_BYTE("zero-byte"),
  /** A PNG/JPEG that ends before its end marker (IEND / EOI) or before its pixel data does. */
  TRUNCATED("truncated"),
  /** A PNG/JPEG whose header or pixel data cannot be decoded. */
  CORRUPT("corrupt"),
  /** Bytes that are not an image at all (no known image signature). */
  NOT_AN_IMAGE("not-an-image"),
  /** A recognised image format other than PNG or JPEG (GIF, BMP, TIFF, WebP, ...). */
  UNSUPPORTED_FORMAT("unsupported-format"),
  /** Declared width or height over 16384, or over 64 Mpixel (checked before decoding pixels). */
  ABSURD_DIMENSIONS("absurd-dimensions"),
  /** A label outside the data set's classes. */
  BAD_LABEL("bad-label"),
  /** The file could not be read. */
  READ_ERROR("read-error");

  private final String code;

  DeadLetterReason(String code) {
    this.code = code;
  }

  /** Stable lower-case code, e.g. {@code "zero-byte"}. */
  public String code() {
    return code;
  }
}
