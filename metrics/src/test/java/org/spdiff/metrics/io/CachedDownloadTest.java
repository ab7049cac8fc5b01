package org.spdiff.metrics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Download on first use against a loopback HTTP server of the test's own: a good file, a wrong
 * hash, a truncated body, a 404, a stall, offline and no route. Every failure names the URL and the
 * cache path and leaves no file in the cache. Nothing here touches the internet.
 */
class CachedDownloadTest {
  @TempDir Path dir;
  HttpServer server;
  final AtomicInteger hits = new AtomicInteger();
  final CountDownLatch release = new CountDownLatch(1);
  byte[] body;
  String prefix;

  @BeforeEach
  void start() throws Exception {
    body = new byte[200_000];
    new Random(1).nextBytes(body);
    prefix =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)).substring(0, 8);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r);
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/good/", ex -> send(ex, body));
    server.createContext(
        "/missing/",
        ex -> {
          hits.incrementAndGet();
          ex.sendResponseHeaders(404, -1);
          ex.close();
        });
    server.createContext(
        "/stall/",
        ex -> {
          hits.incrementAndGet();
          ex.sendResponseHeaders(200, body.length);
          OutputStream o = ex.getResponseBody();
          o.write(body, 0, 1000);
          o.flush();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private void send(HttpExchange ex, byte[] data) throws IOException {
    hits.incrementAndGet();
    ex.sendResponseHeaders(200, data.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(data);
    }
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  CachedDownload.Request request(URI url, String sha) {
    return new CachedDownload.Request(
        url, sha, dir.resolve("cache"), false, Duration.ofSeconds(5), Duration.ofMillis(500));
  }

  /** Regular files under the cache (none after a failure). */
  List<Path> cached() throws IOException {
    Path c = dir.resolve("cache");
    if (!Files.exists(c)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(c)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  DownloadException fails(CachedDownload.Request r) throws IOException {
    DownloadException e =
        assertThrows(DownloadException.class, () -> CachedDownload.resolve(r, s -> {}));
    System.out.println((e.offline() ? "offline: " : "failed: ") + e.getMessage());
    assertTrue(e.getMessage().contains(r.url().toString()), e.getMessage());
    assertTrue(e.getMessage().contains(r.target().toString()), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertEquals(List.of(), cached(), "nothing left in the cache");
    return e;
  }

  @Test
  void goodFileIsVerifiedCachedAndNotFetchedAgain() throws Exception {
    CachedDownload.Request r = request(url("/good/weights-" + prefix + ".pth"), "");
    List<String> log = new ArrayList<>();
    Path p = CachedDownload.resolve(r, log::add);
    assertEquals(r.target(), p);
    assertArrayEquals(body, Files.readAllBytes(p));
    assertEquals(List.of(p), cached());
    assertEquals(2, log.size(), log.toString());
    assertEquals(p, CachedDownload.resolve(r, log::add));
    assertEquals(1, hits.get(), "the second call uses the cache");
    // offline with the file cached is fine
    CachedDownload.Request off =
        new CachedDownload.Request(
            r.url(), "", r.cacheDir(), true, r.connectTimeout(), r.readTimeout());
    assertEquals(p, CachedDownload.resolve(off, log::add));
  }

  @Test
  void fullSha256OverridesTheNameAndIsChecked() throws Exception {
    String full = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    Path ok = CachedDownload.resolve(request(url("/good/plain.bin"), full), s -> {});
    assertArrayEquals(body, Files.readAllBytes(ok));
    Files.delete(ok);
    String wrong = full.substring(0, 63) + (full.endsWith("0") ? "1" : "0");
    DownloadException e = fails(request(url("/good/other.bin"), wrong));
    assertTrue(e.getMessage().contains("does not match the expected " + wrong), e.getMessage());
  }

  @Test
  void wrongHashFails() throws Exception {
    DownloadException e = fails(request(url("/good/weights-deadbeef.pth"), ""));
    assertFalse(e.offline());
    assertTrue(e.getMessage().contains("does not match the prefix deadbeef"), e.getMessage());
  }

  /**
   * A raw loopback server that announces the whole body, sends half of it and closes the connection
   * (com.sun's HttpServer keeps a short response's connection open, which is a stall).
   */
  @Test
  void truncatedBodyFails() throws Exception {
    ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              try (Socket s = raw.accept()) {
                s.getInputStream().read(new byte[4096]);
                OutputStream o = s.getOutputStream();
                o.write(
                    ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                o.write(body, 0, body.length / 2);
                o.flush();
              } catch (IOException e) {
                // the test fails on its own assertions
              }
            });
    t.setDaemon(true);
    t.start();
    URI u = URI.create("http://127.0.0.1:" + raw.getLocalPort() + "/w-" + prefix + ".pth");
    DownloadException e;
    try {
      e = fails(request(u, ""));
    } finally {
      raw.close();
    }
    assertFalse(e.offline());
    assertTrue(
        e.getMessage().contains("truncated, got " + body.length / 2 + " of " + body.length),
        e.getMessage());
  }

  @Test
  void httpErrorFails() throws Exception {
    DownloadException e = fails(request(url("/missing/weights-" + prefix + ".pth"), ""));
    assertFalse(e.offline());
    assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
  }

  @Test
  void stalledConnectionTimesOut() throws Exception {
    DownloadException e = fails(request(url("/stall/weights-" + prefix + ".pth"), ""));
    assertFalse(e.offline());
    assertTrue(e.getMessage().contains("stalled"), e.getMessage());
  }

  @Test
  void offlineSaysWhatToDownloadAndWhere() throws Exception {
    CachedDownload.Request r = request(url("/good/weights-" + prefix + ".pth"), "");
    CachedDownload.Request off =
        new CachedDownload.Request(
            r.url(), "", r.cacheDir(), true, r.connectTimeout(), r.readTimeout());
    DownloadException e = fails(off);
    assertTrue(e.offline());
    assertTrue(
        e.getMessage().contains("download " + r.url() + " and save it as " + r.target()),
        e.getMessage());
    assertEquals(0, hits.get(), "offline never connects");
  }

  @Test
  void noRouteIsReportedAsOffline() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    DownloadException e =
        fails(request(URI.create("http://127.0.0.1:" + port + "/w-" + prefix + ".pth"), ""));
    assertTrue(e.offline());
    assertTrue(e.getMessage().contains("save it as"), e.getMessage());
  }

  @Test
  void corruptCachedFileIsNamedNotUsed() throws Exception {
    CachedDownload.Request r = request(url("/good/weights-" + prefix + ".pth"), "");
    Files.createDirectories(r.cacheDir());
    Files.write(r.target(), new byte[] {1, 2, 3});
    DownloadException e =
        assertThrows(DownloadException.class, () -> CachedDownload.resolve(r, s -> {}));
    assertTrue(e.getMessage().contains(r.target().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("delete it"), e.getMessage());
    assertEquals(0, hits.get());
  }

  @Test
  void hashPrefixFollowsTorchHub() {
    assertEquals("6726825d", CachedDownload.hashPrefix("pt_inception-2015-12-05-6726825d.pth"));
    assertNull(CachedDownload.hashPrefix("weights.pth"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CachedDownload.validate(request(url("/good/plain.bin"), "")));
    assertTrue(e.getMessage().contains("no sha256"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> CachedDownload.validate(request(url("/good/plain.bin"), "ABC")));
    assertThrows(
        IllegalArgumentException.class,
        () -> CachedDownload.validate(request(URI.create("ftp://x/y-12345678.pth"), "")));
  }
}
