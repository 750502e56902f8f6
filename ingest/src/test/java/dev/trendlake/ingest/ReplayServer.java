package dev.trendlake.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A local stand-in for the YouTube Data API ({@link #baseUrl}) and TMDB's API v3 ({@link
 * #tmdbBaseUrl}): replays recorded answers per (resource, regionCode, pageToken) in script order,
 * the last one repeating, and records every request it received. A TMDB resource is its path below
 * {@code /3/} ({@code tv/popular}), with no region and its {@code page} as the page token. Every
 * answer carries {@code Connection: close}, so the client never reuses a connection and each
 * attempt is exactly one request here.
 */
final class ReplayServer implements AutoCloseable {

  /**
   * One scripted answer: a status and body with optional headers; or a connection closed before any
   * byte of the answer ({@link #drop}); or one closed in the middle of the body ({@link #cut}).
   */
  record Reply(
      int status,
      byte[] body,
      Map<String, String> headers,
      boolean dropConnection,
      boolean cutBody) {
    static Reply ok(byte[] body) {
      return new Reply(200, body, Map.of(), false, false);
    }

    static Reply status(int status, byte[] body) {
      return new Reply(status, body, Map.of(), false, false);
    }

    /** Closes the connection before the status line. */
    static Reply drop() {
      return new Reply(0, new byte[0], Map.of(), true, false);
    }

    /** Announces {@code body} whole, sends half of it, then closes the connection. */
    static Reply cut(byte[] body) {
      return new Reply(200, body, Map.of(), false, true);
    }

    Reply header(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Reply(status, body, h, dropConnection, cutBody);
    }
  }

  private final HttpServer server;
  private final Map<String, Deque<Reply>> scripts = new HashMap<>();
  private final Map<String, Integer> hits = new HashMap<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());

  ReplayServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/youtube/v3/", this::handle);
    server.createContext(TMDB, this::handle);
    server.start();
  }

  private static final String TMDB = "/3/";

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/youtube/v3";
  }

  String tmdbBaseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/3";
  }

  /**
   * Scripts TMDB's answers to {@code resource} ({@code tv/popular}) at {@code page} (null: none).
   */
  ReplayServer onTmdb(String resource, Integer page, Reply... replies) {
    return on(resource, null, page == null ? null : String.valueOf(page), replies);
  }

  int tmdbHits(String resource, Integer page) {
    return hits(resource, null, page == null ? null : String.valueOf(page));
  }

  /** The Authorization header of each request, in order ("" when none was sent). */
  List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  static String route(String resource, String region, String pageToken) {
    return resource + "|" + region + "|" + (pageToken == null ? "" : pageToken);
  }

  /**
   * Scripts the answers to {@code resource} for {@code region} (upper case) and page token (null =
   * first).
   */
  synchronized ReplayServer on(String resource, String region, String pageToken, Reply... replies) {
    scripts.put(route(resource, region, pageToken), new ArrayDeque<>(List.of(replies)));
    return this;
  }

  synchronized int hits(String resource, String region, String pageToken) {
    return hits.getOrDefault(route(resource, region, pageToken), 0);
  }

  synchronized int totalHits() {
    return hits.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The request URIs as received, key included (tests check the key was sent, and only here). */
  List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      in.readAllBytes();
    }
    String raw = ex.getRequestURI().getRawQuery();
    requests.add(ex.getRequestURI().toString());
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    authorizations.add(auth == null ? "" : auth);
    Map<String, String> q = new HashMap<>();
    for (String kv : raw == null ? new String[0] : raw.split("&")) {
      int eq = kv.indexOf('=');
      q.put(
          URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
    }
    String path = ex.getRequestURI().getPath();
    String key =
        path.startsWith(TMDB)
            ? route(path.substring(TMDB.length()), null, q.get("page"))
            : route(
                path.substring(path.lastIndexOf('/') + 1), q.get("regionCode"), q.get("pageToken"));
    Reply reply;
    synchronized (this) {
      hits.merge(key, 1, Integer::sum);
      Deque<Reply> script = scripts.get(key);
      if (script == null || script.isEmpty()) {
        reply =
            Reply.status(
                404,
                ("{\"error\":{\"code\":404,\"message\":\"no script for " + key + "\"}}")
                    .getBytes(StandardCharsets.UTF_8));
      } else {
        reply = script.size() > 1 ? script.poll() : script.peek();
      }
    }
    if (reply.dropConnection()) {
      ex.close(); // no status line: the client sees the connection closed under it
      return;
    }
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    ex.getResponseHeaders().set("Connection", "close");
    reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
    if (reply.cutBody()) {
      OutputStream out = ex.getResponseBody();
      out.write(reply.body(), 0, reply.body().length / 2);
      out.flush();
      // the handler fails with the body half sent: the server closes the connection under the
      // client
      throw new IOException("scripted connection reset in the middle of the body");
    }
    try (OutputStream out = ex.getResponseBody()) {
      out.write(reply.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
