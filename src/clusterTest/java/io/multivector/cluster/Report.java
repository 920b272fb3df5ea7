package io.multivector.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the suite did and measured, as the markdown the README quotes; printed even when the suite fails. */
final class Report {
    private final List<String> kills = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();
    private String totals = "| (not reached) | | |";

    void kill(int node, String why, int acknowledgedBefore, double downToGreen, double restartToGreen) {
        kills.add(String.format("| %d | node-%d | %s | %d | %.0f s | %.0f s |", kills.size() + 1, node, why, acknowledgedBefore,
            downToGreen, restartToGreen));
    }

    void totals(int acknowledged, int found, int lost) {
        totals = String.format("| %d | %d | %d |", acknowledged, found, lost);
    }

    void line(String format, Object... args) {
        String line = String.format(format, args);
        lines.add(line);
        System.out.println("[faults] " + line);
    }

    void print(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        out.add("| kill | node | why that node | acknowledged before | SIGKILL to green | restart to green |");
        out.add("|---|---|---|---|---|---|");
        out.addAll(kills);
        out.add("");
        out.add("| acknowledged | found | lost |");
        out.add("|---|---|---|");
        out.add(totals);
        out.add("");
        for (String line : lines) {
            out.add("- " + line);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, out);
        out.forEach(line -> System.out.println("[faults] " + line));
    }
}
