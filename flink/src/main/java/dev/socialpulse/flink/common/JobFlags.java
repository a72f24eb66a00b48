package dev.socialpulse.flink.common;

import dev.socialpulse.flink.clickhouse.ClickHouseCredentials;
import dev.socialpulse.flink.clickhouse.ClickHouseSinkConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.util.ParameterTool;

/**
 * A job's program arguments ({@code --name value}), read flag by flag: every error message starts
 * with the flag's name, and a value is never echoed where it may be a secret. Shared by the jobs,
 * with the flags every job that writes to ClickHouse takes.
 */
public final class JobFlags {

    public static final String BOOTSTRAP_SERVERS_OPTION = "bootstrap-servers";
    public static final String GROUP_ID_OPTION = "group-id";
    public static final String CLICKHOUSE_URL_OPTION = "clickhouse-url";
    public static final String CLICKHOUSE_USER_OPTION = "clickhouse-user";
    public static final String CLICKHOUSE_PASSWORD_FILE_OPTION = "clickhouse-password-file";
    public static final String CLICKHOUSE_DATABASE_OPTION = "clickhouse-database";

    /** Refused with a message saying where the password goes instead. */
    public static final String REFUSED_CLICKHOUSE_PASSWORD_OPTION = "clickhouse-password";

    /** The ClickHouse flags, for a job's list of known flags. */
    public static final List<String> CLICKHOUSE_OPTIONS =
            List.of(
                    CLICKHOUSE_URL_OPTION,
                    CLICKHOUSE_USER_OPTION,
                    CLICKHOUSE_PASSWORD_FILE_OPTION,
                    CLICKHOUSE_DATABASE_OPTION);

    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    public static final String DEFAULT_CLICKHOUSE_URL = "http://127.0.0.1:8123";

    /** What ParameterTool stores for a flag given without a value (its constant is protected). */
    private static final String NO_VALUE = "__NO_VALUE_KEY";

    private final ParameterTool parameters;

    private JobFlags(ParameterTool parameters) {
        this.parameters = parameters;
    }

    /**
     * The arguments, refusing any flag not in {@code known} and a password given as a flag.
     *
     * @throws IllegalArgumentException naming the flag
     */
    public static JobFlags parse(String[] args, List<String> known) {
        ParameterTool parameters = ParameterTool.fromArgs(args);
        if (parameters.toMap().keySet().stream()
                .map(JobFlags::flagName)
                .anyMatch(REFUSED_CLICKHOUSE_PASSWORD_OPTION::equals)) {
            // Not echoed: the value is the secret.
            throw new IllegalArgumentException(
                    "--"
                            + REFUSED_CLICKHOUSE_PASSWORD_OPTION
                            + " is not accepted: program arguments show in Flink's UI and REST"
                            + " API. Set "
                            + ClickHouseCredentials.PASSWORD_ENV
                            + " in the TaskManagers' environment, or pass --"
                            + CLICKHOUSE_PASSWORD_FILE_OPTION
                            + " naming a file on the TaskManagers");
        }
        Set<String> unknown = new TreeSet<>();
        for (String key : parameters.toMap().keySet()) {
            if (!known.contains(key)) {
                // --name=value is not a form the jobs read; name the flag, not the value.
                unknown.add(flagName(key));
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "Unknown flag(s): --"
                            + String.join(", --", unknown)
                            + "; known flags: --"
                            + String.join(", --", known));
        }
        return new JobFlags(parameters);
    }

    /** The flag's name, without any {@code =value} given in the same argument. */
    private static String flagName(String key) {
        int equals = key.indexOf('=');
        return equals < 0 ? key : key.substring(0, equals);
    }

    /**
     * Where and how to insert: the {@link #CLICKHOUSE_OPTIONS} flags, the password from the
     * TaskManagers' environment or a file there.
     */
    public ClickHouseSinkConfig clickHouse(int maxBufferedRows, Duration flushInterval) {
        return ClickHouseSinkConfig.of(
                httpUrl(CLICKHOUSE_URL_OPTION, DEFAULT_CLICKHOUSE_URL),
                ClickHouseCredentials.fromEnvironment(
                        text(CLICKHOUSE_USER_OPTION, null),
                        text(CLICKHOUSE_PASSWORD_FILE_OPTION, null)),
                optionalText(CLICKHOUSE_DATABASE_OPTION, null),
                maxBufferedRows,
                flushInterval);
    }

    /** The value; {@code null} when the flag is absent; an error when given without value. */
    private String raw(String name) {
        if (!parameters.has(name)) {
            return null;
        }
        String value = parameters.get(name);
        if (value == null || NO_VALUE.equals(value)) {
            throw new IllegalArgumentException("--" + name + " needs a value");
        }
        return value;
    }

    public String text(String name, String defaultValue) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " must not be blank");
        }
        return value.strip();
    }

    /** A comma-separated list of at least one non-blank item, each stripped. */
    public List<String> list(String name, String defaultValue) {
        List<String> items =
                Arrays.stream(text(name, defaultValue).split(","))
                        .map(String::strip)
                        .filter(item -> !item.isEmpty())
                        .toList();
        if (items.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " names nothing");
        }
        return items;
    }

    /** Like {@link #text}, but blank or given without a value means empty. */
    public String optionalText(String name, String defaultValue) {
        if (!parameters.has(name)) {
            return defaultValue;
        }
        String value = parameters.get(name);
        return value == null || NO_VALUE.equals(value) ? "" : value;
    }

    public long longValue(String name, long defaultValue, long min, long max) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + name + " must be a whole number, got '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(
                    "--"
                            + name
                            + " must be "
                            + (max == Long.MAX_VALUE
                                    ? "at least " + min
                                    : "between " + min + " and " + max)
                            + ", got "
                            + parsed);
        }
        return parsed;
    }

    /**
     * A finite number in {@code [min, max]}; {@code min} of {@link Double#MIN_VALUE} reads
     * "positive".
     */
    public double doubleValue(String name, double defaultValue, double min, double max) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + name + " must be a number, got '" + value + "'");
        }
        if (!(parsed >= min && parsed <= max)) {
            throw new IllegalArgumentException(
                    "--"
                            + name
                            + " must be "
                            + (min == Double.MIN_VALUE
                                    ? "positive and at most " + max
                                    : "between " + min + " and " + max)
                            + ", got "
                            + value.strip());
        }
        return parsed;
    }

    public URI httpUrl(String name, String defaultValue) {
        String value = text(name, defaultValue);
        if (value.contains("@")) {
            // Not echoed: user info may hold a password, and a program argument is no place
            // for one.
            throw new IllegalArgumentException(
                    "--"
                            + name
                            + " must not contain a user or password (user:password@); the"
                            + " TaskManagers read them from "
                            + ClickHouseCredentials.USER_ENV
                            + " and "
                            + ClickHouseCredentials.PASSWORD_ENV);
        }
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null
                    || uri.getRawQuery() != null) {
                throw new URISyntaxException(value, "expected http(s)://host[:port][/path]");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "--"
                            + name
                            + " must be an http(s) URL such as "
                            + defaultValue
                            + ", got '"
                            + value
                            + "'");
        }
    }
}
