package dev.socialpulse.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * Every test class belongs to exactly one tier, so that {@code -Dgroups=unit} and {@code
 * -Dgroups=component} together run every test: {@code unit} for pure logic (functions, records,
 * parsers, flag parsing), {@code component} for one job in-process (operator test harnesses,
 * MiniCluster, a fake ClickHouse HTTP server).
 */
@Tag("unit")
class TestTiersTest {

    static final Set<String> TIERS = Set.of("unit", "component");

    @Test
    void everyTestClassShouldHaveExactlyOneTierTag() throws IOException {
        Path root = Path.of(System.getProperty("test.source.directory", "src/test/java"));
        List<String> testClasses = new ArrayList<>();
        List<String> problems = new ArrayList<>();

        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(TestTiersTest::isClassSource).sorted().toList()) {
                String name = className(root, file);
                Class<?> type;
                try {
                    type = Class.forName(name, false, getClass().getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    problems.add(root.relativize(file) + ": cannot load " + name + " (" + e + ")");
                    continue;
                }
                for (Class<?> candidate : withNestedClasses(type)) {
                    if (!runsTests(candidate)) {
                        continue;
                    }
                    testClasses.add(candidate.getName());
                    Set<String> tags = tagsOf(candidate);
                    long tiers = tags.stream().filter(TIERS::contains).count();
                    if (tiers != 1) {
                        problems.add(
                                root.relativize(file)
                                        + ": "
                                        + candidate.getName()
                                        + " has tags "
                                        + tags
                                        + "; it needs exactly one of @Tag(\"unit\") or"
                                        + " @Tag(\"component\")");
                    }
                }
            }
        }

        assertThat(testClasses)
                .as("test classes found under %s", root.toAbsolutePath())
                .contains(TestTiersTest.class.getName());
        assertThat(problems).as("test classes without exactly one tier tag").isEmpty();
    }

    private static boolean isClassSource(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".java")
                && !name.equals("package-info.java")
                && !name.equals("module-info.java");
    }

    private static String className(Path root, Path file) {
        String relative = root.relativize(file).toString();
        return relative.substring(0, relative.length() - ".java".length())
                .replace(file.getFileSystem().getSeparator(), ".");
    }

    private static List<Class<?>> withNestedClasses(Class<?> type) {
        List<Class<?>> all = new ArrayList<>();
        all.add(type);
        for (Class<?> nested : type.getDeclaredClasses()) {
            all.addAll(withNestedClasses(nested));
        }
        return all;
    }

    /** A class JUnit runs on its own: concrete, with a test method of its own or inherited. */
    private static boolean runsTests(Class<?> type) {
        return !type.isInterface()
                && !Modifier.isAbstract(type.getModifiers())
                && !AnnotationSupport.findAnnotatedMethods(
                                type, Testable.class, HierarchyTraversalMode.TOP_DOWN)
                        .isEmpty();
    }

    /** Tags as JUnit sees them: declared, inherited, meta-annotated, or from enclosing classes. */
    private static Set<String> tagsOf(Class<?> type) {
        Set<String> tags = new TreeSet<>();
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            AnnotationSupport.findRepeatableAnnotations(c, Tag.class)
                    .forEach(tag -> tags.add(tag.value().strip()));
        }
        return tags;
    }
}
