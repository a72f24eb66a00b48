package dev.socialpulse.flink.clickhouse;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how {@link ClickHouseSink} inserts.
 *
 * @param url ClickHouse's HTTP interface, for example {@code http://127.0.0.1:8123}, without user
 *     or password in it
 * @param credentials where the user and password for HTTP Basic auth come from; resolved by each
 *     writer where it runs, so that a deployed job carries no password
 * @param database database to insert into, or {@code null} for the user's default
 * @param maxBufferedRows a writer flushes once it holds this many rows
 * @param flushInterval a writer flushes what it holds at least this often
 * @param maxRetries how often a failed insert is retried before the job fails
 * @param initialBackoff wait before the first retry; doubles with each further retry
 * @param requestTimeout how long one insert request may take
 */
public record ClickHouseSinkConfig(
        URI url,
        ClickHouseCredentials credentials,
        String database,
        int maxBufferedRows,
        Duration flushInterval,
        int maxRetries,
        Duration initialBackoff,
        Duration requestTimeout)
        implements Serializable {

    /** Retries of a failed insert before the job fails, when not configured otherwise. */
    public static final int DEFAULT_MAX_RETRIES = 3;

    /** Wait before the first retry, when not configured otherwise; 0.5 + 1 + 2 s in all. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);

    /** Time limit of one insert request, when not configured otherwise. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public ClickHouseSinkConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(credentials, "credentials");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("url must be http or https, got " + url);
        }
        if (url.getRawUserInfo() != null) {
            // Not echoed: the user info may hold a password.
            throw new IllegalArgumentException(
                    "url must not contain a user or password; pass them as credentials");
        }
        if (maxBufferedRows < 1) {
            throw new IllegalArgumentException(
                    "maxBufferedRows must be at least 1, got " + maxBufferedRows);
        }
        requirePositive(flushInterval, "flushInterval");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative");
        }
        requirePositive(initialBackoff, "initialBackoff");
        requirePositive(requestTimeout, "requestTimeout");
        database = database == null || database.isBlank() ? null : database;
    }

    /**
     * A configuration with fixed credentials (carried in the job graph: for tests and local runs)
     * and the default retries, backoff and request timeout.
     */
    public static ClickHouseSinkConfig of(
            URI url,
            String user,
            String password,
            String database,
            int maxBufferedRows,
            Duration flushInterval) {
        return of(
                url,
                ClickHouseCredentials.of(user, password),
                database,
                maxBufferedRows,
                flushInterval);
    }

    /** A configuration with the default retries, backoff and request timeout. */
    public static ClickHouseSinkConfig of(
            URI url,
            ClickHouseCredentials credentials,
            String database,
            int maxBufferedRows,
            Duration flushInterval) {
        return new ClickHouseSinkConfig(
                url,
                credentials,
                database,
                maxBufferedRows,
                flushInterval,
                DEFAULT_MAX_RETRIES,
                DEFAULT_INITIAL_BACKOFF,
                DEFAULT_REQUEST_TIMEOUT);
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }

    /** Like the generated one; the credentials' own toString() hides a password. */
    @Override
    public String toString() {
        return "ClickHouseSinkConfig[url="
                + url
                + ", credentials="
                + credentials
                + ", database="
                + database
                + ", maxBufferedRows="
                + maxBufferedRows
                + ", flushInterval="
                + flushInterval
                + ", maxRetries="
                + maxRetries
                + ", initialBackoff="
                + initialBackoff
                + ", requestTimeout="
                + requestTimeout
                + "]";
    }
}
