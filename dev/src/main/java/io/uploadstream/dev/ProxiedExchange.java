package io.uploadstream.dev;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * One request through {@link FaultInjectingProxy}: answered by the proxy itself, or relayed to the
 * server and back (the connection carries this one request only). Runs on a proxy thread; a second
 * thread relays the request body while this one relays the response.
 */
final class ProxiedExchange {
  private final Socket client;
  private final InputStream fromClient;
  private final HttpHead head;
  private final Runnable serverDone;

  /** {@code serverDone} runs once the server has answered, before the client can see it. */
  ProxiedExchange(Socket client, InputStream fromClient, HttpHead head, Runnable serverDone) {
    this.client = client;
    this.fromClient = fromClient;
    this.head = head;
    this.serverDone = serverDone;
  }

  /** Answers with an S3 XML error without contacting the server. */
  void respond(FaultInjectingProxy.Action.Respond respond) throws IOException {
    // A client waiting for 100 Continue gets the final answer at once and never sends the body.
    if (!head.expectsContinue()) {
      drain(fromClient, head.request().contentLength());
    }
    byte[] body =
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                + respond.errorCode()
                + "</Code><Message>"
                + respond.message()
                + "</Message><RequestId>fault-injected</RequestId></Error>")
            .getBytes(StandardCharsets.UTF_8);
    String responseHead =
        "HTTP/1.1 "
            + respond.status()
            + " "
            + reason(respond.status())
            + "\r\nContent-Type: application/xml\r\nContent-Length: "
            + body.length
            + "\r\nx-amz-request-id: fault-injected\r\nConnection: close\r\n\r\n";
    serverDone.run();
    OutputStream toClient = client.getOutputStream();
    toClient.write(responseHead.getBytes(StandardCharsets.US_ASCII));
    toClient.write(body);
    toClient.flush();
  }

  /** Relays the exchange; resets both connections after {@code resetAfter} body bytes. */
  void forward(
      InetSocketAddress upstream,
      int timeoutMillis,
      ExecutorService threads,
      Set<Socket> openSockets,
      long resetAfter)
      throws IOException {
    try (Socket server = new Socket()) {
      openSockets.add(server);
      try {
        server.connect(upstream, timeoutMillis);
        server.setSoTimeout(timeoutMillis);
        server.getOutputStream().write(head.withConnectionClose());
        Future<?> body = threads.submit(() -> relayBody(server, resetAfter));
        relayResponse(new BufferedInputStream(server.getInputStream()));
        body.cancel(true);
      } finally {
        openSockets.remove(server);
      }
    }
  }

  /**
   * Client to server: the request body, cut by a reset after {@code resetAfter} bytes. When the
   * client goes away (it gave up, or the exchange is over), the server connection is closed too, so
   * the server is not left waiting for the rest of a body that will never come.
   */
  private void relayBody(Socket server, long resetAfter) {
    byte[] chunk = new byte[64 * 1024];
    long relayed = 0;
    try {
      OutputStream toServer = server.getOutputStream();
      int read;
      while ((read = fromClient.read(chunk)) >= 0) {
        int allowed = (int) Math.min(read, resetAfter - relayed);
        toServer.write(chunk, 0, allowed);
        relayed += allowed;
        if (relayed >= resetAfter) {
          client.setSoLinger(true, 0); // close() now sends RST: the client sees a reset
          FaultInjectingProxy.closeQuietly(client);
          break;
        }
      }
    } catch (IOException e) {
      // The client side ended: nothing more to relay.
    }
    FaultInjectingProxy.closeQuietly(server);
  }

  /** Server to client: interim 1xx heads, then the final head and the rest untouched. */
  private void relayResponse(InputStream fromServer) throws IOException {
    OutputStream toClient = client.getOutputStream();
    HttpHead response;
    do {
      response = HttpHead.read(fromServer);
      if (response == null) {
        return;
      }
      if (!response.isInterim()) {
        serverDone.run();
      }
      toClient.write(response.raw());
      toClient.flush();
    } while (response.isInterim());
    fromServer.transferTo(toClient);
    toClient.flush();
  }

  private static void drain(InputStream in, long bytes) throws IOException {
    byte[] sink = new byte[64 * 1024];
    long left = bytes;
    while (left > 0) {
      int read = in.read(sink, 0, (int) Math.min(sink.length, left));
      if (read < 0) {
        return;
      }
      left -= read;
    }
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Error";
    };
  }
}
