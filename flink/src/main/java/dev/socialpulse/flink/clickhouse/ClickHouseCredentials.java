package dev.socialpulse.flink.clickhouse;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where a {@link ClickHouseSink} gets the user and password for HTTP Basic auth.
 *
 * <p>The sink, with its configuration, is serialized into the job graph, which Flink keeps in its
 * blob store and shows parts of in its UI and REST API, as it shows the program arguments. So a
 * deployed job carries no password: it carries {@link #fromEnvironment(String, String) where to
 * find one}, and each writer {@linkplain #resolve() resolves} it when it is created, on the
 * TaskManager, from the TaskManager's environment ({@value #USER_ENV}, {@value #PASSWORD_ENV}) or a
 * file there. {@link #of(String, String)} holds the values themselves, for tests and local runs.
 */
public sealed interface ClickHouseCredentials extends Serializable
        permits ClickHouseCredentials.Fixed, ClickHouseCredentials.FromEnvironment {

    /**
     * The TaskManager environment variable with the user; unset or blank means {@value
     * #DEFAULT_USER}.
     */
    String USER_ENV = "CLICKHOUSE_USER";

    /** The TaskManager environment variable with the password; unset means empty. */
    String PASSWORD_ENV = "CLICKHOUSE_PASSWORD";

    /** ClickHouse's built-in user, which has no password in a default local setup. */
    String DEFAULT_USER = "default";

    /** The user and password, resolved where the writer runs. */
    Resolved resolve();

    /** Fixed values, carried in the job graph: for tests and local runs only. */
    static ClickHouseCredentials of(String user, String password) {
        return new Fixed(user, password);
    }

    /**
     * Read on the TaskManager when a writer is created: the user from {@code user} if given (a user
     * name is not a secret), else from {@value #USER_ENV}, else {@value #DEFAULT_USER}; the
     * password from the file {@code passwordFile} if given (its content, less one trailing line
     * break), else from {@value #PASSWORD_ENV}, else empty.
     *
     * @param user the user, or {@code null} to read it from the environment
     * @param passwordFile a file on every TaskManager, or {@code null} to read {@value
     *     #PASSWORD_ENV}
     */
    static ClickHouseCredentials fromEnvironment(String user, String passwordFile) {
        return new FromEnvironment(user, passwordFile);
    }

    /** A user and password; {@link #toString()} hides the password. */
    record Resolved(String user, String password) {
        public Resolved {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            if (user.isBlank()) {
                throw new IllegalArgumentException("the ClickHouse user must not be blank");
            }
        }

        @Override
        public String toString() {
            return "Resolved[user=" + user + ", password=" + mask(password) + "]";
        }
    }

    /** Fixed values; see {@link #of(String, String)}. */
    record Fixed(String user, String password) implements ClickHouseCredentials {
        public Fixed {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            if (user.isBlank()) {
                throw new IllegalArgumentException("the ClickHouse user must not be blank");
            }
        }

        @Override
        public Resolved resolve() {
            return new Resolved(user, password);
        }

        /** Like the generated one, without the password: configs end up in logs. */
        @Override
        public String toString() {
            return "Fixed[user=" + user + ", password=" + mask(password) + "]";
        }
    }

    /** Read on the TaskManager; see {@link #fromEnvironment(String, String)}. */
    record FromEnvironment(String user, String passwordFile) implements ClickHouseCredentials {
        public FromEnvironment {
            user = user == null || user.isBlank() ? null : user.strip();
            passwordFile = passwordFile == null || passwordFile.isBlank() ? null : passwordFile;
        }

        @Override
        public Resolved resolve() {
            return resolve(System::getenv);
        }

        /**
         * {@link #resolve()} with the given environment, for tests.
         *
         * @throws UncheckedIOException naming the file when it cannot be read
         */
        public Resolved resolve(Function<String, String> environment) {
            String resolvedUser = user;
            if (resolvedUser == null) {
                String fromEnvironment = environment.apply(USER_ENV);
                resolvedUser =
                        fromEnvironment == null || fromEnvironment.isBlank()
                                ? DEFAULT_USER
                                : fromEnvironment.strip();
            }
            String password;
            if (passwordFile != null) {
                password = readPasswordFile(Path.of(passwordFile));
            } else {
                String fromEnvironment = environment.apply(PASSWORD_ENV);
                password = fromEnvironment == null ? "" : fromEnvironment;
            }
            return new Resolved(resolvedUser, password);
        }

        private static String readPasswordFile(Path file) {
            String content;
            try {
                content = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                // The message names the file only: never its content.
                throw new UncheckedIOException(
                        "cannot read the ClickHouse password file " + file + ": " + e, e);
            }
            if (content.endsWith("\r\n")) {
                return content.substring(0, content.length() - 2);
            }
            return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
        }
    }

    private static String mask(String password) {
        return password.isEmpty() ? "(empty)" : "****";
    }
}
