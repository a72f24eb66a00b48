package dev.socialpulse.flink.trending.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
class HashtagsTest {

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(
            value = {
                "ai|ai",
                "AI|ai",
                "#ai|ai",
                "' #WorldCup '|worldcup",
                "# ai|ai",
                "##ai|#ai",
                "Ünïcode|ünïcode"
            },
            delimiter = '|')
    void shouldNormaliseAHashtag(String hashtag, String topic) {
        assertThat(Hashtags.normalise(hashtag)).isEqualTo(topic);
    }

    @Test
    void shouldDropEmptyHashtags() {
        assertThat(Hashtags.normalise(Arrays.asList("", "  ", "#", " # ", null))).isEmpty();
    }

    @Test
    void shouldDeduplicateWithinOneEventKeepingFirstSeenOrder() {
        assertThat(Hashtags.normalise(List.of("WorldCup", "ai", "#AI", " worldcup", "f1", "ai")))
                .containsExactly("worldcup", "ai", "f1");
    }
}
