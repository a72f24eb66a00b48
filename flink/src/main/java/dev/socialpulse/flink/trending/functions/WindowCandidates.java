package dev.socialpulse.flink.trending.functions;

import dev.socialpulse.flink.trending.records.TopicWindowStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The first phase of a two-phase top N: per window of a horizon, the best N topics offered so far
 * ({@link TopTopics#BEST_FIRST} order). A topic pushed out has N better topics in the same window,
 * so it cannot be among the window's N best overall: the union of every batch sent for a window
 * holds its top N, however the topics were split between subtasks or batches.
 */
public final class WindowCandidates {

    private record Window(String horizon, long endMillis) {}

    private final int topN;
    private final Map<Window, PriorityQueue<TopicWindowStats>> held = new HashMap<>();
    private final Map<Window, List<TopicWindowStats>> canaries = new HashMap<>();

    /**
     * @param topN how many topics per window to keep, at least 1
     */
    public WindowCandidates(int topN) {
        if (topN < 1) {
            throw new IllegalArgumentException("topN must be at least 1, got " + topN);
        }
        this.topN = topN;
    }

    /**
     * Keeps {@code stats} if it is among the best N of its window so far; a canary topic always,
     * outside the N (it is not ranked, and must reach the sink).
     */
    public void offer(TopicWindowStats stats) {
        if (CanaryTopics.isCanary(stats.topic())) {
            canaries.computeIfAbsent(
                            new Window(stats.horizon(), stats.windowEndMillis()),
                            window -> new ArrayList<>())
                    .add(stats);
            return;
        }
        PriorityQueue<TopicWindowStats> best =
                held.computeIfAbsent(
                        new Window(stats.horizon(), stats.windowEndMillis()),
                        window -> new PriorityQueue<>(topN + 1, TopTopics.BEST_FIRST.reversed()));
        best.add(stats);
        if (best.size() > topN) {
            best.poll();
        }
    }

    /** Hands over and forgets the topics of every window ending at or before {@code endMillis}. */
    public void sendUpTo(long endMillis, Consumer<TopicWindowStats> send) {
        Iterator<Map.Entry<Window, PriorityQueue<TopicWindowStats>>> windows =
                held.entrySet().iterator();
        while (windows.hasNext()) {
            Map.Entry<Window, PriorityQueue<TopicWindowStats>> window = windows.next();
            if (window.getKey().endMillis() <= endMillis) {
                window.getValue().forEach(send);
                windows.remove();
            }
        }
        Iterator<Map.Entry<Window, List<TopicWindowStats>>> canaryWindows =
                canaries.entrySet().iterator();
        while (canaryWindows.hasNext()) {
            Map.Entry<Window, List<TopicWindowStats>> window = canaryWindows.next();
            if (window.getKey().endMillis() <= endMillis) {
                window.getValue().forEach(send);
                canaryWindows.remove();
            }
        }
    }

    /** True when no topic is held. */
    public boolean isEmpty() {
        return held.isEmpty() && canaries.isEmpty();
    }
}
