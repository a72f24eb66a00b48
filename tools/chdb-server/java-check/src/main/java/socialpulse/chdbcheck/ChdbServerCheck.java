package socialpulse.chdbcheck;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Inserts and selects through com.clickhouse:client-v2 and through plain HTTP, the two ways Flink
 * jobs reach ClickHouse. Prints one line per step; exits 1 at the first mismatch.
 *
 * <p>Usage: {@code ChdbServerCheck <server url> <database>}
 */
public final class ChdbServerCheck {
    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "http://127.0.0.1:8123";
        String database = args.length > 1 ? args[1] : "default";
        String table = database + ".java_check";

        // Step 1: the official client. ClickHouse's own LZ4 block framing is not served, so
        // responses come uncompressed (compressServerResponse(false)).
        try (Client client =
                new Client.Builder()
                        .addEndpoint(url)
                        .setUsername("default")
                        .setPassword("")
                        .compressServerResponse(false)
                        .build()) {
            client.execute("CREATE DATABASE IF NOT EXISTS " + database)
                    .get(30, TimeUnit.SECONDS)
                    .close();
            client.execute("DROP TABLE IF EXISTS " + table).get(30, TimeUnit.SECONDS).close();
            client.execute(
                            "CREATE TABLE "
                                    + table
                                    + " (id UInt32, name String, score Float64) ENGINE = MergeTree"
                                    + " ORDER BY id")
                    .get(30, TimeUnit.SECONDS)
                    .close();
            String rows =
                    "{\"id\":1,\"name\":\"alpha\",\"score\":1.5}\n"
                            + "{\"id\":2,\"name\":\"beta\",\"score\":2.5}\n";
            try (InsertResponse inserted =
                    client.insert(
                                    table,
                                    new ByteArrayInputStream(rows.getBytes(StandardCharsets.UTF_8)),
                                    ClickHouseFormat.JSONEachRow)
                            .get(30, TimeUnit.SECONDS)) {
                check(
                        inserted.getWrittenRows() == 2,
                        "client-v2 insert wrote " + inserted.getWrittenRows() + " rows");
            }
            List<GenericRecord> records =
                    client.queryAll("SELECT id, name, score FROM " + table + " ORDER BY id");
            check(records.size() == 2, "client-v2 select returned " + records.size() + " rows");
            check(
                    records.get(1).getString("name").equals("beta"),
                    "client-v2 select read name " + records.get(1).getString("name"));
            check(
                    records.get(0).getDouble("score") == 1.5,
                    "client-v2 select read score " + records.get(0).getDouble("score"));
        }

        // Step 2: plain HTTP, as a Flink sink without a client library would do it.
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> insert =
                http.send(
                        HttpRequest.newBuilder(
                                        query(url, "INSERT INTO " + table + " FORMAT TabSeparated"))
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "3\tgamma\t3.5\n4\tdelta\t4.5\n"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        check(
                insert.statusCode() == 200,
                "plain HTTP insert answered " + insert.statusCode() + " " + insert.body());
        HttpResponse<String> select =
                http.send(
                        HttpRequest.newBuilder(
                                        query(url, "SELECT count(), sum(score) FROM " + table))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        check(
                select.body().equals("4\t12\n"),
                "plain HTTP select returned " + select.body().trim());
        HttpResponse<String> error =
                http.send(
                        HttpRequest.newBuilder(
                                        query(url, "SELECT * FROM " + database + ".no_such_table"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        check(
                error.statusCode() == 404
                        && error.headers()
                                .firstValue("X-ClickHouse-Exception-Code")
                                .orElse("")
                                .equals("60"),
                "plain HTTP error answered "
                        + error.statusCode()
                        + " with code "
                        + error.headers().firstValue("X-ClickHouse-Exception-Code").orElse("none"));
        System.out.println("java check passed");
    }

    private static URI query(String url, String sql) {
        return URI.create(url + "/?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8));
    }

    private static void check(boolean ok, String what) {
        System.out.println((ok ? "ok    " : "FAIL  ") + what);
        if (!ok) System.exit(1);
    }
}
