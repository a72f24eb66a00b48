package dev.socialpulse.flink.clickhouse;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code JSONEachRow} bodies to one ClickHouse table over HTTP, retrying a failed request (IO
 * error or a non-2xx answer) with exponential backoff; after the last retry the exception reaches
 * the caller. Used by the sinks' writers and committers alike.
 *
 * <p>Metrics: {@value #ROWS_INSERTED_METRIC}, {@value #INSERT_REQUESTS_METRIC} (successful ones),
 * {@value #INSERT_RETRIES_METRIC}.
 */
public final class ClickHouseInserter implements AutoCloseable {

    public static final String ROWS_INSERTED_METRIC = "rowsInserted";
    public static final String INSERT_REQUESTS_METRIC = "insertRequests";
    public static final String INSERT_RETRIES_METRIC = "insertRetries";

    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseInserter.class);
    private static final int MAX_ERROR_BODY_CHARS = 1000;

    private final ClickHouseSinkConfig config;
    private final String table;
    private final URI insertUri;
    private final String authorization;
    private final ExecutorService httpExecutor;
    private final HttpClient http;

    private final Counter rowsInserted;
    private final Counter insertRequests;
    private final Counter insertRetries;

    /**
     * @param config where and how to insert
     * @param table the table to insert into
     * @param metricGroup where the counters go
     */
    public ClickHouseInserter(ClickHouseSinkConfig config, String table, MetricGroup metricGroup) {
        this.config = config;
        this.table = table;
        this.insertUri = insertUri(config, table);
        // Resolved here, where inserts run (on the TaskManager): the job graph holds no password,
        // only where to find one.
        ClickHouseCredentials.Resolved credentials = config.credentials().resolve();
        this.authorization =
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        (credentials.user() + ":" + credentials.password())
                                                .getBytes(StandardCharsets.UTF_8));
        // Our own executor, so that close() can stop the client's threads (HttpClient has no
        // close() before Java 21).
        this.httpExecutor =
                Executors.newCachedThreadPool(
                        runnable -> {
                            Thread thread = new Thread(runnable, "clickhouse-sink-http");
                            thread.setDaemon(true);
                            return thread;
                        });
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(config.requestTimeout())
                        .executor(httpExecutor)
                        .build();
        this.rowsInserted = metricGroup.counter(ROWS_INSERTED_METRIC);
        this.insertRequests = metricGroup.counter(INSERT_REQUESTS_METRIC);
        this.insertRetries = metricGroup.counter(INSERT_RETRIES_METRIC);
    }

    /**
     * {@code {url}/?query=INSERT INTO {table} FORMAT JSONEachRow[&database={database}]}, encoded.
     */
    static URI insertUri(ClickHouseSinkConfig config, String table) {
        String base = config.url().toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        StringBuilder uri =
                new StringBuilder(base)
                        .append("/?query=")
                        .append(encode("INSERT INTO " + table + " FORMAT JSONEachRow"));
        if (config.database() != null) {
            uri.append("&database=").append(encode(config.database()));
        }
        return URI.create(uri.toString());
    }

    private static String encode(String value) {
        // URLEncoder encodes for HTML forms (space as '+'); %20 means a space to every server.
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Inserts {@code rows} rows, retrying as configured. */
    public void insert(byte[] body, int rows) throws IOException, InterruptedException {
        send(insertUri, body, rows);
    }

    /**
     * Inserts {@code rows} rows that ClickHouse takes only once per {@code token}: sent again with
     * the same token (a retried commit), the block is recognised and dropped, in the table and in
     * the materialized views fed by it. The table and the views' tables need a deduplication window
     * ({@code non_replicated_deduplication_window} unless replicated).
     */
    public void insertOnce(byte[] body, int rows, String token)
            throws IOException, InterruptedException {
        URI uri =
                URI.create(
                        insertUri
                                + "&insert_deduplication_token="
                                + encode(token)
                                + "&deduplicate_blocks_in_dependent_materialized_views=1");
        send(uri, body, rows);
    }

    private void send(URI uri, byte[] body, int rows) throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(uri)
                        .timeout(config.requestTimeout())
                        .header("Authorization", authorization)
                        .header("Content-Type", "application/x-ndjson; charset=UTF-8")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
        IOException lastFailure = null;
        for (int attempt = 0; attempt <= config.maxRetries(); attempt++) {
            if (attempt > 0) {
                long backoff = config.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
                // The message only: the exception that fails the job carries the stack trace.
                LOG.warn(
                        "Insert of {} rows into {} failed (attempt {} of {}), retrying in {} ms:"
                                + " {}",
                        rows,
                        table,
                        attempt,
                        config.maxRetries() + 1,
                        backoff,
                        lastFailure.toString());
                insertRetries.inc();
                Thread.sleep(backoff);
            }
            try {
                HttpResponse<String> response =
                        http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    insertRequests.inc();
                    rowsInserted.inc(rows);
                    return;
                }
                lastFailure =
                        new IOException(
                                "ClickHouse answered HTTP "
                                        + response.statusCode()
                                        + ": "
                                        + abbreviate(response.body()));
            } catch (IOException e) {
                lastFailure = e;
            }
        }
        throw new IOException(
                "Insert of "
                        + rows
                        + " rows into "
                        + table
                        + " at "
                        + config.url()
                        + " failed after "
                        + (config.maxRetries() + 1)
                        + " attempts",
                lastFailure);
    }

    private static String abbreviate(String body) {
        String text = body == null ? "" : body.strip();
        return text.length() <= MAX_ERROR_BODY_CHARS
                ? text
                : text.substring(0, MAX_ERROR_BODY_CHARS) + "...";
    }

    /** Stops the HTTP client's threads. */
    @Override
    public void close() {
        httpExecutor.shutdownNow();
    }
}
