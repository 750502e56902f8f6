package dev.trendlake.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy between the pipeline and s3mock that misbehaves the way S3 does under stress: it
 * answers some requests with {@code 503 SlowDown} or {@code 500 InternalError}, drops some
 * connections without an answer, and can reject an unknown access key with {@code 403
 * InvalidAccessKeyId} (s3mock itself accepts any credentials). Faults happen before the request
 * reaches the server, as with S3's own throttling, so a retried request finds the store as it was.
 * One request per connection ({@code Connection: close}), which keeps the relay simple. Every
 * request is recorded ({@link #recorded()}), with its body when it is a bucket-level POST (a
 * multi-object delete names its keys there), so a test can check each against IAM policies.
 */
public final class FaultyS3Proxy implements AutoCloseable {
  public enum Fault {
    NONE,
    SLOW_DOWN,
    INTERNAL_ERROR,
    DROP,
    INVALID_ACCESS_KEY
  }

  /** What the proxy saw of a request: enough to decide its fate. */
  public record Request(String method, String target, List<String[]> headers) {
    public String header(String name) {
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          return h[1];
        }
      }
      return null;
    }

    /** The access key id in a SigV4 Authorization header, or null. */
    String accessKey() {
      String auth = header("Authorization");
      if (auth == null || !auth.contains("Credential=")) {
        return null;
      }
      String c = auth.substring(auth.indexOf("Credential=") + 11);
      return c.substring(0, c.indexOf('/'));
    }
  }

  public interface Rule {
    Fault decide(Request r);
  }

  /** Fails the given shares of requests at random, from a fixed seed. */
  public static Rule random(long seed, double slowDown, double internalError, double drop) {
    Random rnd = new Random(seed);
    return r -> {
      double x;
      synchronized (rnd) {
        x = rnd.nextDouble();
      }
      if (x < slowDown) {
        return Fault.SLOW_DOWN;
      }
      if (x < slowDown + internalError) {
        return Fault.INTERNAL_ERROR;
      }
      return x < slowDown + internalError + drop ? Fault.DROP : Fault.NONE;
    };
  }

  /** Rejects every access key but {@code known}, like S3 does for a key it has never issued. */
  public static Rule onlyKey(String known) {
    return r -> known.equals(r.accessKey()) ? Fault.NONE : Fault.INVALID_ACCESS_KEY;
  }

  private final int upstreamPort;
  private volatile Rule rule;
  private final ServerSocket server;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "faulty-s3-proxy");
            t.setDaemon(true);
            return t;
          });
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger openUploads = new AtomicInteger();
  private final AtomicInteger maxOpenUploads = new AtomicInteger();
  private final Map<Fault, AtomicInteger> faults = new EnumMap<>(Fault.class);
  private final List<Recorded> recorded = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A request as it arrived; {@code body} only for a POST to a bucket, else empty. */
  public record Recorded(Request request, byte[] body) {}

  /** Every request the proxy has seen, faulted or relayed, in arrival order. */
  public List<Recorded> recorded() {
    return List.copyOf(recorded);
  }

  public FaultyS3Proxy(int upstreamPort, Rule rule) throws IOException {
    this.upstreamPort = upstreamPort;
    this.rule = rule;
    for (Fault f : Fault.values()) {
      faults.put(f, new AtomicInteger());
    }
    server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    pool.execute(this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  void setRule(Rule rule) {
    this.rule = rule;
  }

  public int requests() {
    return requests.get();
  }

  public int count(Fault f) {
    return faults.get(f).get();
  }

  /** The most multipart uploads (so S3 writers, each with its buffer) open at the same time. */
  public int maxOpenUploads() {
    return maxOpenUploads.get();
  }

  @Override
  public void close() throws IOException {
    server.close();
    pool.shutdownNow();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        pool.execute(() -> handle(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      String head = readHead(in);
      if (head == null) {
        return;
      }
      String[] lines = head.split("\r\n");
      String[] first = lines[0].split(" ");
      List<String[]> headers = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.add(
            new String[] {
              lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()
            });
      }
      Request req = new Request(first[0], first[1], headers);
      requests.incrementAndGet();
      boolean bucketPost =
          req.method().equals("POST") && req.target().matches("^/[^/?]+/?(\\?.*)?$");
      Fault fault = rule.decide(req);
      faults.get(fault).incrementAndGet();
      boolean expectContinue = "100-continue".equalsIgnoreCase(req.header("Expect"));
      if (fault != Fault.NONE) {
        recorded.add(new Recorded(req, new byte[0]));
      }
      if (fault == Fault.DROP) {
        if (!expectContinue) {
          readBody(in, req);
        }
        client.setSoLinger(true, 0);
        return;
      }
      if (fault != Fault.NONE) {
        if (!expectContinue) {
          readBody(in, req);
        }
        writeError(out, req, fault);
        return;
      }
      if (expectContinue) {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      byte[] body = readBody(in, req);
      recorded.add(new Recorded(req, bucketPost ? body : new byte[0]));
      boolean create =
          req.method().equals("POST") && req.target().matches(".*[?&]uploads(=[^&]*)?(&.*)?$");
      if (create) {
        maxOpenUploads.accumulateAndGet(openUploads.incrementAndGet(), Math::max);
      }
      int status = forward(req, body, out);
      boolean ended =
          req.target().contains("uploadId=")
              && (req.method().equals("POST") || req.method().equals("DELETE"));
      if ((create && status != 200) || (ended && status / 100 == 2)) {
        openUploads.decrementAndGet();
      }
    } catch (IOException e) {
      // the client gave up or the server went away: the client sees a broken connection
    }
  }

  /** Relays the request to the server and its answer back; returns the answer's status. */
  private int forward(Request req, byte[] body, OutputStream out) throws IOException {
    try (Socket up = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
      StringBuilder sb = new StringBuilder(req.method() + " " + req.target() + " HTTP/1.1\r\n");
      for (String[] h : req.headers()) {
        String n = h[0].toLowerCase(Locale.ROOT);
        if (!n.equals("connection") && !n.equals("expect") && !n.equals("keep-alive")) {
          sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
      }
      sb.append("Connection: close\r\n\r\n");
      OutputStream upOut = up.getOutputStream();
      upOut.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
      upOut.write(body);
      upOut.flush();
      InputStream upIn = new BufferedInputStream(up.getInputStream());
      String head = readHead(upIn);
      if (head == null) {
        return -1;
      }
      StringBuilder resp = new StringBuilder();
      for (String line : head.split("\r\n")) {
        if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
          resp.append(line).append("\r\n");
        }
      }
      resp.append("Connection: close\r\n\r\n");
      out.write(resp.toString().getBytes(StandardCharsets.ISO_8859_1));
      upIn.transferTo(out);
      out.flush();
      return Integer.parseInt(head.split(" ")[1]);
    }
  }

  private static void writeError(OutputStream out, Request req, Fault fault) throws IOException {
    String status;
    String code;
    String message;
    switch (fault) {
      case SLOW_DOWN -> {
        status = "503 Slow Down";
        code = "SlowDown";
        message = "Please reduce your request rate.";
      }
      case INVALID_ACCESS_KEY -> {
        status = "403 Forbidden";
        code = "InvalidAccessKeyId";
        message = "The AWS Access Key Id you provided does not exist in our records.";
      }
      default -> {
        status = "500 Internal Server Error";
        code = "InternalError";
        message = "We encountered an internal error. Please try again.";
      }
    }
    byte[] xml =
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                + code
                + "</Code><Message>"
                + message
                + "</Message><RequestId>FAULTYPROXY</RequestId></Error>")
            .getBytes(StandardCharsets.UTF_8);
    boolean head = req.method().equals("HEAD");
    String h =
        "HTTP/1.1 "
            + status
            + "\r\nContent-Type: application/xml\r\nContent-Length: "
            + (head ? 0 : xml.length)
            + "\r\nx-amz-request-id: FAULTYPROXY\r\nConnection: close\r\n\r\n";
    out.write(h.getBytes(StandardCharsets.US_ASCII));
    if (!head) {
      out.write(xml);
    }
    out.flush();
  }

  /** The request or response head up to the blank line, or null at end of stream. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int state = 0;
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      state =
          (c == '\r' && (state == 0 || state == 2))
              ? state + 1
              : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
      if (state == 4) {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.substring(0, s.length() - 4);
      }
    }
    return null;
  }

  /** The raw body bytes (chunk framing kept, so they can be relayed as they came). */
  private static byte[] readBody(InputStream in, Request req) throws IOException {
    String te = req.header("Transfer-Encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine(in);
        b.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
        if (size == 0) {
          String trailer;
          while (!(trailer = readLine(in)).isEmpty()) {
            b.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
          }
          b.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
          return b.toByteArray();
        }
        b.write(in.readNBytes(size + 2));
      }
    }
    String cl = req.header("Content-Length");
    return cl == null ? new byte[0] : in.readNBytes(Integer.parseInt(cl.trim()));
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }
}
