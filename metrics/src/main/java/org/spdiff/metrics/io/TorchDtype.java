package org.spdiff.metrics.io;

import java.nio.ByteBuffer;

/**
 * Element types of PyTorch storages as {@code torch.save} names them ({@code torch.FloatStorage},
 * ...), with their size in bytes and a little-endian element reader.
 */
public enum TorchDtype {
  FLOAT32("FloatStorage", 4),
  FLOAT64("DoubleStorage", 8),
  FLOAT16("HalfStorage", 2),
  BFLOAT16("BFloat16Storage", 2),
  INT64("LongStorage", 8),
  INT32("IntStorage", 4),
  INT16("ShortStorage", 2),
  INT8("CharStorage", 1),
  UINT8("ByteStorage", 1),
  BOOL("BoolStorage", 1);

  private final String storageName;
  private final int bytes;

  TorchDtype(String storageName, int bytes) {
    this.storageName = storageName;
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** The class name in module {@code torch}, e.g. {@code FloatStorage}. */
  public String storageName() {
    return storageName;
  }

  /** The type of {@code torch.<name>}; {@code UntypedStorage} holds bytes. Null if unknown. */
  public static TorchDtype ofStorage(String name) {
    if (name.equals("UntypedStorage")) {
      return UINT8;
    }
    for (TorchDtype t : values()) {
      if (t.storageName.equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** Element {@code i} of a little-endian buffer, as a double (exact for all but 64-bit ints). */
  double get(ByteBuffer le, int i) {
    return switch (this) {
      case FLOAT32 -> le.getFloat(i * 4);
      case FLOAT64 -> le.getDouble(i * 8);
      case FLOAT16 -> halfToFloat(le.getShort(i * 2));
      case BFLOAT16 -> Float.intBitsToFloat((le.getShort(i * 2) & 0xFFFF) << 16);
      case INT64 -> le.getLong(i * 8);
      case INT32 -> le.getInt(i * 4);
      case INT16 -> le.getShort(i * 2);
      case INT8 -> le.get(i);
      case UINT8 -> le.get(i) & 0xFF;
      case BOOL -> le.get(i) != 0 ? 1 : 0;
    };
  }

  /** IEEE 754 binary16 to float (exact: every half is a float). */
  static float halfToFloat(short h) {
    int bits = h & 0xFFFF;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1F;
    int mant = bits & 0x3FF;
    if (exp == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
    }
    if (exp == 0) {
      // zero or subnormal: mant * 2^-24
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }
}
