package dev.socialpulse.flink.trending;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One trending horizon: sliding windows of {@code window} length that move every {@code slide}. The
 * slide is also the pane size: a topic's counts are kept per slide-sized pane and combined.
 *
 * @param label the rows' {@code window_size}, for example {@code 1m}
 * @param window length of a window
 * @param slide how often a window ends; divides {@code window}
 */
public record TrendingHorizon(String label, Duration window, Duration slide)
        implements Serializable {

    /**
     * The classpath resource holding the horizons: {@code packages/shared/trending-horizons.json},
     * copied in by the maven build, so the API and the job read one fact.
     */
    public static final String RESOURCE = "trending-horizons.json";

    public TrendingHorizon {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("a horizon needs a label");
        }
        if (window == null
                || slide == null
                || slide.isNegative()
                || slide.isZero()
                || window.isNegative()
                || window.isZero()) {
            throw new IllegalArgumentException(
                    "horizon " + label + ": window and slide must be positive");
        }
        if (window.toMillis() % slide.toMillis() != 0) {
            throw new IllegalArgumentException(
                    "horizon " + label + ": slide " + slide + " must divide window " + window);
        }
    }

    public long windowMillis() {
        return window.toMillis();
    }

    public long slideMillis() {
        return slide.toMillis();
    }

    /** The horizons of {@link #RESOURCE}, in the file's order. */
    public static List<TrendingHorizon> fromClasspath() {
        try (InputStream in =
                TrendingHorizon.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        RESOURCE
                                + " is not on the classpath: the maven build copies it from"
                                + " packages/shared");
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * @param root {@code {"horizons": [{"label", "windowSeconds", "slideSeconds"}, ...]}}
     * @throws IllegalArgumentException for a malformed file, a bad horizon or a repeated label
     */
    public static List<TrendingHorizon> parse(JsonNode root) {
        JsonNode horizons = root == null ? null : root.get("horizons");
        if (horizons == null || !horizons.isArray() || horizons.isEmpty()) {
            throw new IllegalArgumentException(RESOURCE + ": expected a non-empty horizons array");
        }
        List<TrendingHorizon> parsed = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        for (JsonNode horizon : horizons) {
            JsonNode label = horizon.get("label");
            JsonNode window = horizon.get("windowSeconds");
            JsonNode slide = horizon.get("slideSeconds");
            if (label == null
                    || !label.isTextual()
                    || window == null
                    || !window.canConvertToLong()
                    || !window.isIntegralNumber()
                    || slide == null
                    || !slide.isIntegralNumber()) {
                throw new IllegalArgumentException(
                        RESOURCE + ": each horizon needs label, windowSeconds and slideSeconds");
            }
            if (!labels.add(label.asText())) {
                throw new IllegalArgumentException(
                        RESOURCE + ": horizon " + label.asText() + " appears twice");
            }
            parsed.add(
                    new TrendingHorizon(
                            label.asText(),
                            Duration.ofSeconds(window.asLong()),
                            Duration.ofSeconds(slide.asLong())));
        }
        return List.copyOf(parsed);
    }
}
