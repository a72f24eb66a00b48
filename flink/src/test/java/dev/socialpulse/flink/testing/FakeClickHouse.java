package dev.socialpulse.flink.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server standing in for ClickHouse's HTTP interface: records every request and
 * answers 200, or the statuses queued with {@link #failNext(int, String)}.
 */
public final class FakeClickHouse implements AutoCloseable {

    /** One request as received. */
    public record Request(
            String method,
            URI uri,
            Map<String, String> queryParameters,
            String authorization,
            String body) {

        /** The body's lines: one JSON row each for JSONEachRow. */
        public List<String> lines() {
            return body.lines().toList();
        }
    }

    private record Answer(int status, String body) {}

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Answer> answers = new ArrayDeque<>();

    public FakeClickHouse() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answer the next request not yet answered with this status and body. */
    public synchronized void failNext(int status, String body) {
        answers.add(new Answer(status, body));
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            requests.add(
                    new Request(
                            exchange.getRequestMethod(),
                            exchange.getRequestURI(),
                            queryParameters(exchange.getRequestURI().getRawQuery()),
                            exchange.getRequestHeaders().getFirst("Authorization"),
                            body));
            Answer answer;
            synchronized (this) {
                answer = answers.isEmpty() ? new Answer(200, "") : answers.poll();
            }
            byte[] response = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(
                    answer.status(), response.length == 0 ? -1 : response.length);
            if (response.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response);
                }
            }
        }
    }

    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            parameters.put(
                    URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
