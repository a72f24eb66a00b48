package dev.socialpulse.flink.clickhouse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
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
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers rows as {@code JSONEachRow} lines and inserts them with one HTTP request per flush.
 *
 * <p>Flushes when the buffer holds {@link ClickHouseSinkConfig#maxBufferedRows()} rows, on a
 * processing-time timer every {@link ClickHouseSinkConfig#flushInterval()}, and whenever Flink
 * calls {@link #flush(boolean)} (before every checkpoint and at the end of input). Everything runs
 * on the task's thread (timer callbacks too), so there is no locking. A failed request (IO error or
 * a non-2xx answer) is retried with exponential backoff; after the last retry the exception fails
 * the job. Rows are never dropped.
 *
 * <p>Metrics: {@value #ROWS_INSERTED_METRIC}, {@value #INSERT_REQUESTS_METRIC} (successful ones),
 * {@value #INSERT_RETRIES_METRIC}.
 */
public class ClickHouseSinkWriter<T> implements SinkWriter<T> {

    public static final String ROWS_INSERTED_METRIC = "rowsInserted";
    public static final String INSERT_REQUESTS_METRIC = "insertRequests";
    public static final String INSERT_RETRIES_METRIC = "insertRetries";

    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseSinkWriter.class);
    private static final int MAX_ERROR_BODY_CHARS = 1000;

    private final ClickHouseSinkConfig config;
    private final String table;
    private final JsonRowEncoder<T> encoder;
    private final ProcessingTimeService timeService;
    private final URI insertUri;
    private final String authorization;
    private final ExecutorService httpExecutor;
    private final HttpClient http;
    private final JsonFactory jsonFactory = new JsonFactory();

    private final Counter rowsInserted;
    private final Counter insertRequests;
    private final Counter insertRetries;

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
    private int bufferedRows;
    private ScheduledFuture<?> flushTimer;
    private boolean closed;

    /**
     * @param config where and how to insert
     * @param table the table to insert into
     * @param encoder writes one row as JSON
     * @param timeService the task's processing-time service; runs the flush timer
     * @param metricGroup where the writer's counters go
     */
    public ClickHouseSinkWriter(
            ClickHouseSinkConfig config,
            String table,
            JsonRowEncoder<T> encoder,
            ProcessingTimeService timeService,
            MetricGroup metricGroup) {
        this.config = config;
        this.table = table;
        this.encoder = encoder;
        this.timeService = timeService;
        this.insertUri = insertUri(config, table);
        // Resolved here, where the writer runs (on the TaskManager): the job graph holds no
        // password, only where to find one.
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
        scheduleFlushTimer();
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

    @Override
    public void write(T row, Context context) throws IOException, InterruptedException {
        try (JsonGenerator json = jsonFactory.createGenerator(buffer)) {
            encoder.encode(row, json);
        }
        buffer.write('\n');
        bufferedRows++;
        if (bufferedRows >= config.maxBufferedRows()) {
            flushBuffer();
        }
    }

    /** Called by Flink before every checkpoint and at the end of input. */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        flushBuffer();
    }

    /** Rows written but not yet inserted. */
    int bufferedRows() {
        return bufferedRows;
    }

    private void scheduleFlushTimer() {
        long next = timeService.getCurrentProcessingTime() + config.flushInterval().toMillis();
        flushTimer = timeService.registerTimer(next, this::onFlushTimer);
    }

    private void onFlushTimer(long time) throws IOException, InterruptedException {
        if (closed) {
            return;
        }
        flushBuffer();
        scheduleFlushTimer();
    }

    private void flushBuffer() throws IOException, InterruptedException {
        if (bufferedRows == 0) {
            return;
        }
        byte[] body = buffer.toByteArray();
        int rows = bufferedRows;
        insert(body, rows);
        // Only now: a failed insert keeps the rows, although the job fails anyway.
        buffer.reset();
        bufferedRows = 0;
        rowsInserted.inc(rows);
    }

    private void insert(byte[] body, int rows) throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(insertUri)
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

    /**
     * Stops the timer and the HTTP client. Does not flush: Flink calls {@link #flush(boolean)}
     * before a regular close, and on failure or cancellation the rows are replayed from the last
     * checkpoint anyway.
     */
    @Override
    public void close() {
        closed = true;
        if (flushTimer != null) {
            flushTimer.cancel(false);
        }
        httpExecutor.shutdownNow();
    }
}
