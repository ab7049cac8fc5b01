package org.spdiff.metrics.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small, safe reader of Python pickles (protocols 0-5), for the subset that {@code torch.save}
 * writes: ints, floats, strings, bytes, tuples, lists, dicts, memo, marks, persistent ids, and
 * {@code GLOBAL}/{@code REDUCE}/{@code BUILD} restricted to the callables the caller allows. It
 * never runs Python code and never instantiates a class by name: a global that the {@link Globals}
 * does not know fails the read with its dotted name.
 *
 * <p>Python values become: {@code int} -> {@link Long} (or {@link BigInteger} beyond 64 bits),
 * {@code float} -> {@link Double}, {@code str} -> {@link String}, {@code bytes} -> {@code byte[]},
 * {@code bool} -> {@link Boolean}, {@code None} -> {@code null}, {@code tuple} -> {@link Tuple},
 * {@code list} -> {@link List}, {@code dict} -> {@link LinkedHashMap}.
 */
public final class PickleReader {

  /** A Python tuple. */
  public record Tuple(List<Object> items) {
    public Object get(int i) {
      return items.get(i);
    }

    public int size() {
      return items.size();
    }
  }

  /** A Python callable the caller allows ({@code REDUCE}, {@code NEWOBJ} call it). */
  @FunctionalInterface
  public interface Callable {
    Object call(List<Object> args) throws IOException;
  }

  /** Resolves {@code GLOBAL module name} to an allowed callable, or null if not allowed. */
  @FunctionalInterface
  public interface Globals {
    Callable resolve(String module, String name);
  }

  /** Turns a persistent id (a {@code BINPERSID} argument) into the object it stands for. */
  @FunctionalInterface
  public interface PersistentLoader {
    Object load(Object pid) throws IOException;
  }

  /**
   * {@code BUILD}: sets an object's state. Called with the object and its state; may ignore it (the
   * {@code _metadata} attribute of a state dict) or reject it.
   */
  @FunctionalInterface
  public interface StateSetter {
    void build(Object target, Object state) throws IOException;
  }

  private static final Object MARK = new Object();

  private final InputStream in;
  private final String source;
  private final Globals globals;
  private final PersistentLoader persistent;
  private final StateSetter state;
  private final List<Object> stack = new ArrayList<>();
  private final Map<Long, Object> memo = new HashMap<>();
  private long offset;

  /**
   * @param in positioned at the first byte of one pickle; exactly that pickle is consumed
   * @param source what to name in error messages (a file, an archive entry)
   */
  public PickleReader(
      InputStream in,
      String source,
      Globals globals,
      PersistentLoader persistent,
      StateSetter state) {
    this.in = in;
    this.source = source;
    this.globals = globals;
    this.persistent = persistent;
    this.state = state;
  }

  /** Reads one pickle up to and including its {@code STOP} and returns its value. */
  public Object load() throws IOException {
    while (true) {
      long at = offset;
      int op = u8();
      switch (op) {
        case 0x80 -> u8(); // PROTO
        case 0x95 -> bytes(8); // FRAME: frames only group opcodes
        case '.' -> {
          Object v = pop();
          if (!stack.isEmpty()) {
            throw error(at, "stack not empty at STOP");
          }
          return v;
        }
        case '(' -> stack.add(MARK);
        case ')' -> push(new Tuple(List.of()));
        case ']' -> push(new ArrayList<>());
        case '}' -> push(new LinkedHashMap<>());
        case 't' -> push(new Tuple(popMark()));
        case 'l' -> push(new ArrayList<>(popMark()));
        case 'd' -> {
          List<Object> kv = popMark();
          Map<Object, Object> m = new LinkedHashMap<>();
          for (int i = 0; i + 1 < kv.size(); i += 2) {
            m.put(kv.get(i), kv.get(i + 1));
          }
          push(m);
        }
        case 0x85 -> push(new Tuple(popN(1)));
        case 0x86 -> push(new Tuple(popN(2)));
        case 0x87 -> push(new Tuple(popN(3)));
        case 'K' -> push((long) u8());
        case 'M' -> push((long) (u8() | (u8() << 8)));
        case 'J' -> push((long) le32());
        case 0x8a -> push(littleEndianSigned(bytes(u8())));
        case 0x8b -> push(littleEndianSigned(bytes(length(le32(), at))));
        case 'I' -> {
          String s = line();
          push(
              s.equals("00")
                  ? Boolean.FALSE
                  : s.equals("01") ? Boolean.TRUE : (Object) Long.parseLong(s));
        }
        case 'L' -> {
          String s = line();
          push(normal(new BigInteger(s.endsWith("L") ? s.substring(0, s.length() - 1) : s)));
        }
        case 'N' -> push(null);
        case 0x88 -> push(Boolean.TRUE);
        case 0x89 -> push(Boolean.FALSE);
        case 'G' -> {
          long bits = 0;
          for (byte b : bytes(8)) {
            bits = (bits << 8) | (b & 0xFF);
          }
          push(Double.longBitsToDouble(bits));
        }
        case 'F' -> push(Double.parseDouble(line()));
        case 'X' -> push(utf8(bytes(length(le32(), at))));
        case 0x8c -> push(utf8(bytes(u8())));
        case 0x8d -> push(utf8(bytes(length(le64(), at))));
        case 'T' -> push(new String(bytes(length(le32(), at)), StandardCharsets.ISO_8859_1));
        case 'U' -> push(new String(bytes(u8()), StandardCharsets.ISO_8859_1));
        case 'B' -> push(bytes(length(le32(), at)));
        case 'C' -> push(bytes(u8()));
        case 0x8e -> push(bytes(length(le64(), at)));
        case 'V' -> push(line());
        case 'c' -> {
          String module = line();
          String name = line();
          push(global(module, name, at));
        }
        case 0x93 -> {
          Object name = pop();
          Object module = pop();
          if (!(module instanceof String m) || !(name instanceof String n)) {
            throw error(at, "STACK_GLOBAL needs two strings");
          }
          push(global(m, n, at));
        }
        case 'R' -> {
          Object args = pop();
          Object fn = pop();
          push(call(fn, args, at));
        }
        case 0x81 -> {
          Object args = pop();
          Object cls = pop();
          push(call(cls, args, at));
        }
        case 'b' -> {
          Object s = pop();
          Object target = top(at);
          state.build(target, s);
        }
        case 'q' -> memo.put((long) u8(), top(at));
        case 'r' -> memo.put(le32() & 0xFFFFFFFFL, top(at));
        case 'p' -> memo.put(Long.parseLong(line()), top(at));
        case 0x94 -> memo.put((long) memo.size(), top(at));
        case 'h' -> push(memoGet(u8(), at));
        case 'j' -> push(memoGet(le32() & 0xFFFFFFFFL, at));
        case 'g' -> push(memoGet(Long.parseLong(line()), at));
        case 's' -> {
          Object v = pop();
          Object k = pop();
          dict(top(at), at).put(k, v);
        }
        case 'u' -> {
          List<Object> kv = popMark();
          Map<Object, Object> m = dict(top(at), at);
          for (int i = 0; i + 1 < kv.size(); i += 2) {
            m.put(kv.get(i), kv.get(i + 1));
          }
        }
        case 'a' -> {
          Object v = pop();
          list(top(at), at).add(v);
        }
        case 'e' -> {
          List<Object> items = popMark();
          list(top(at), at).addAll(items);
        }
        case 'Q' -> push(persistent.load(pop()));
        case 'P' -> push(persistent.load(line()));
        case '0' -> pop();
        case '1' -> popMark();
        case '2' -> push(top(at));
        default ->
            throw error(
                at, String.format(Locale.ROOT, "unsupported pickle opcode 0x%02x", op & 0xFF));
      }
    }
  }

  private Object global(String module, String name, long at) throws IOException {
    Callable c = globals.resolve(module, name);
    if (c == null) {
      throw error(at, "unsupported Python object " + module + "." + name);
    }
    return c;
  }

  private Object call(Object fn, Object args, long at) throws IOException {
    if (!(fn instanceof Callable c)) {
      throw error(at, "call of a non-callable " + describe(fn));
    }
    if (!(args instanceof Tuple t)) {
      throw error(at, "call arguments are not a tuple: " + describe(args));
    }
    return c.call(t.items());
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> dict(Object o, long at) throws IOException {
    if (o instanceof Map<?, ?> m) {
      return (Map<Object, Object>) m;
    }
    throw error(at, "SETITEM on a non-dict " + describe(o));
  }

  @SuppressWarnings("unchecked")
  private List<Object> list(Object o, long at) throws IOException {
    if (o instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw error(at, "APPEND on a non-list " + describe(o));
  }

  private static String describe(Object o) {
    return o == null ? "None" : o.getClass().getSimpleName();
  }

  private Object memoGet(long key, long at) throws IOException {
    if (!memo.containsKey(key)) {
      throw error(at, "memo key " + key + " not defined");
    }
    return memo.get(key);
  }

  private void push(Object o) {
    stack.add(o);
  }

  private Object pop() throws IOException {
    if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
      throw error(offset, "stack underflow");
    }
    return stack.remove(stack.size() - 1);
  }

  private Object top(long at) throws IOException {
    if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
      throw error(at, "stack underflow");
    }
    return stack.get(stack.size() - 1);
  }

  private List<Object> popN(int n) throws IOException {
    Object[] out = new Object[n];
    for (int i = n - 1; i >= 0; i--) {
      out[i] = pop();
    }
    return Arrays.asList(out);
  }

  private List<Object> popMark() throws IOException {
    int i = stack.lastIndexOf(MARK);
    if (i < 0) {
      throw error(offset, "no MARK on the stack");
    }
    List<Object> items = new ArrayList<>(stack.subList(i + 1, stack.size()));
    stack.subList(i, stack.size()).clear();
    return items;
  }

  private int u8() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException(source + ": pickle ends at byte " + offset + " before STOP");
    }
    offset++;
    return b;
  }

  private byte[] bytes(int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new EOFException(source + ": pickle ends at byte " + (offset + b.length));
    }
    offset += n;
    return b;
  }

  private int le32() throws IOException {
    byte[] b = bytes(4);
    return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
  }

  private long le64() throws IOException {
    byte[] b = bytes(8);
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[i] & 0xFF);
    }
    return v;
  }

  private int length(long n, long at) throws IOException {
    if (n < 0 || n > Integer.MAX_VALUE - 8) {
      throw error(at, "length " + n + " out of range");
    }
    return (int) n;
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int b = u8(); b != '\n'; b = u8()) {
      sb.append((char) b);
    }
    return sb.toString();
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Two's-complement little-endian integer (LONG1 / LONG4). */
  static Object littleEndianSigned(byte[] b) {
    if (b.length == 0) {
      return 0L;
    }
    byte[] big = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      big[i] = b[b.length - 1 - i];
    }
    return normal(new BigInteger(big));
  }

  private static Object normal(BigInteger v) {
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }

  private IOException error(long at, String what) {
    return new IOException(source + ": " + what + " (pickle byte " + at + ")");
  }
}
