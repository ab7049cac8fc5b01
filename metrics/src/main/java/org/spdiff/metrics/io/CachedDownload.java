package org.spdiff.metrics.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLConnection;
import java.net.UnknownHostException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Download on first use into a local cache, the torch hub way: the file keeps the last segment of
 * its URL as its name, is checked against a sha256 (the full hex digest when given, otherwise the
 * hex prefix in its name, {@code name-<hex>.ext}, torch hub's {@code check_hash} convention), and
 * appears under its name only once whole and verified (written to a temporary name in the same
 * folder, then moved atomically). A failure of any kind leaves nothing in the cache.
 *
 * <p>Failure modes, each a {@link DownloadException} with a one-line message naming the URL and the
 * cache path: HTTP status other than 200; body shorter than its {@code Content-Length}; no data for
 * longer than the read timeout (stall); a sha256 that does not match; no connection (unknown host,
 * refused, no route, connect timeout) or {@code offline}, both {@link DownloadException#offline()},
 * saying which file to fetch and where to put it.
 */
public final class CachedDownload {
  /** torch hub's {@code HASH_REGEX}: the hex digits between the last '-' and the first '.'. */
  private static final Pattern HASH_IN_NAME = Pattern.compile("-([a-f0-9]+)\\.");

  private static final Pattern FULL_SHA256 = Pattern.compile("[a-f0-9]{64}");

  /** Environment variable that moves the cache ({@code ~/.cache/spdiff} otherwise). */
  public static final String CACHE_ENV = "SPDIFF_CACHE_DIR";

  /**
   * What to fetch.
   *
   * @param url http(s) URL whose last path segment is the file name
   * @param sha256 the full lowercase hex digest, or empty to use the prefix in the name
   * @param cacheDir folder the file is cached in
   * @param offline never connect: use the cached file or fail saying what to fetch
   * @param connectTimeout limit on establishing the connection
   * @param readTimeout limit on any wait for data (a stalled transfer fails after it)
   */
  public record Request(
      URI url,
      String sha256,
      Path cacheDir,
      boolean offline,
      Duration connectTimeout,
      Duration readTimeout) {

    /** Default timeouts: 20 s to connect, 60 s without data. */
    public static Request of(URI url, String sha256, Path cacheDir, boolean offline) {
      return new Request(
          url, sha256, cacheDir, offline, Duration.ofSeconds(20), Duration.ofSeconds(60));
    }

    /** The file name (the URL's last path segment). */
    public String fileName() {
      String path = url.getPath() == null ? "" : url.getPath();
      return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Where the verified file lives. */
    public Path target() {
      return cacheDir.resolve(fileName());
    }
  }

  private CachedDownload() {}

  /** {@code $SPDIFF_CACHE_DIR}, else {@code ~/.cache/spdiff}. */
  public static Path defaultCacheDir() {
    String env = System.getenv(CACHE_ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "spdiff");
  }

  /**
   * Checks a request before any work: an http(s) URL with a file name, and a way to verify it.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static void validate(Request r) {
    String scheme = r.url().getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || r.url().getHost() == null) {
      throw new IllegalArgumentException("not an http(s) URL: " + r.url());
    }
    if (r.fileName().isEmpty()) {
      throw new IllegalArgumentException("URL has no file name: " + r.url());
    }
    if (!r.sha256().isEmpty() && !FULL_SHA256.matcher(r.sha256()).matches()) {
      throw new IllegalArgumentException(
          "sha256 must be 64 lowercase hex digits, got '" + r.sha256() + "'");
    }
    if (r.sha256().isEmpty() && hashPrefix(r.fileName()) == null) {
      throw new IllegalArgumentException(
          "cannot verify "
              + r.url()
              + ": its file name has no sha256 prefix (name-<hex>.ext) and no sha256 was given");
    }
  }

  /** The hex prefix in a torch hub file name ({@code pt_inception-2015-12-05-6726825d.pth}). */
  public static String hashPrefix(String fileName) {
    // torch hub takes the first match; a date like 2015-12-05 has no '.' after its digits.
    Matcher m = HASH_IN_NAME.matcher(fileName);
    return m.find() ? m.group(1) : null;
  }

  /** The digest the file must have: the full sha256 or the prefix from its name. */
  static String expected(Request r) {
    return r.sha256().isEmpty() ? hashPrefix(r.fileName()) : r.sha256();
  }

  /**
   * The cached, verified file: downloads it first if absent.
   *
   * @param log receives progress lines (one when a download starts, one when it is done)
   * @throws DownloadException naming the URL and the cache path
   */
  public static Path resolve(Request r, Consumer<String> log) throws DownloadException {
    validate(r);
    Path target = r.target();
    String expected = expected(r);
    if (Files.isRegularFile(target)) {
      String got = sha256(target, r);
      if (!got.startsWith(expected)) {
        throw new DownloadException(
            "cached "
                + target
                + " has sha256 "
                + got
                + ", expected "
                + describe(expected)
                + " (from "
                + r.url()
                + "); delete it to download again",
            false);
      }
      return target;
    }
    if (r.offline()) {
      throw new DownloadException(
          "offline and "
              + target
              + " is not cached: download "
              + r.url()
              + " and save it as "
              + target,
          true);
    }
    Path tmp = null;
    try {
      Files.createDirectories(r.cacheDir());
      tmp = r.cacheDir().resolve("." + r.fileName() + ".part-" + UUID.randomUUID());
      fetch(r, tmp, expected, log);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      return target;
    } catch (DownloadException e) {
      throw e;
    } catch (IOException e) {
      throw new DownloadException(
          "cannot write " + target + " (downloading " + r.url() + "): " + e.getMessage(), false);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort; the name starts with '.' and is never read
        }
      }
    }
  }

  private static void fetch(Request r, Path tmp, String expected, Consumer<String> log)
      throws IOException {
    Path target = r.target();
    String where = r.url() + " to " + target;
    HttpURLConnection c;
    try {
      URLConnection uc = r.url().toURL().openConnection();
      if (!(uc instanceof HttpURLConnection h)) {
        throw new DownloadException("not an http(s) URL: " + r.url(), false);
      }
      c = h;
      c.setConnectTimeout(Math.toIntExact(r.connectTimeout().toMillis()));
      c.setReadTimeout(Math.toIntExact(r.readTimeout().toMillis()));
      c.setInstanceFollowRedirects(true);
      c.setRequestProperty("User-Agent", "spdiff");
      c.connect();
    } catch (UnknownHostException
        | ConnectException
        | NoRouteToHostException
        | SocketTimeoutException e) {
      throw new DownloadException(
          "cannot reach "
              + r.url()
              + " ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "): download it and save it as "
              + target,
          true);
    }
    MessageDigest sha = digest();
    long got = 0;
    long length = -1;
    try {
      int status = c.getResponseCode();
      if (status != HttpURLConnection.HTTP_OK) {
        throw new DownloadException(
            "cannot download " + where + ": HTTP " + status + " " + c.getResponseMessage(), false);
      }
      length = c.getContentLengthLong();
      log.accept(
          "downloading "
              + r.url()
              + (length >= 0 ? String.format(Locale.ROOT, " (%.1f MB)", length / 1e6) : "")
              + " to "
              + target);
      byte[] buf = new byte[1 << 16];
      try (InputStream in = c.getInputStream();
          OutputStream out = Files.newOutputStream(tmp)) {
        for (int n; (n = in.read(buf)) >= 0; ) {
          out.write(buf, 0, n);
          sha.update(buf, 0, n);
          got += n;
        }
      }
    } catch (SocketTimeoutException e) {
      throw new DownloadException(
          "cannot download "
              + where
              + ": stalled, no data for "
              + r.readTimeout().toMillis()
              + " ms after "
              + got
              + " bytes",
          false);
    } catch (DownloadException e) {
      throw e;
    } catch (IOException e) {
      throw new DownloadException(
          "cannot download "
              + where
              + ": connection failed after "
              + got
              + (length >= 0 ? " of " + length : "")
              + " bytes ("
              + e.getMessage()
              + ")",
          false);
    } finally {
      c.disconnect();
    }
    if (length >= 0 && got != length) {
      throw new DownloadException(
          "cannot download " + where + ": truncated, got " + got + " of " + length + " bytes",
          false);
    }
    String hex = HexFormat.of().formatHex(sha.digest());
    if (!hex.startsWith(expected)) {
      throw new DownloadException(
          "cannot download "
              + where
              + ": sha256 "
              + hex
              + " does not match "
              + describe(expected)
              + " ("
              + got
              + " bytes received)",
          false);
    }
    log.accept("downloaded " + target + " (" + got + " bytes, sha256 " + hex + ")");
  }

  private static String describe(String expected) {
    return expected.length() == 64 ? "the expected " + expected : "the prefix " + expected;
  }

  private static String sha256(Path file, Request r) throws DownloadException {
    MessageDigest sha = digest();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        sha.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new DownloadException(
          "cannot read cached " + file + " (from " + r.url() + "): " + e.getMessage(), false);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
