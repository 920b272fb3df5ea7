package io.multivector.yaml;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's runnable examples, in document order: every {@code ```bash} block with a line starting with a curl against
 * {@code http://127.0.0.1:9200}. What a block says about itself, in comment lines a reader sees too:
 * <ul>
 *   <li>{@code # not run: <why>} anywhere in the block: the block is skipped (it needs files or tools the test node
 *       does not have);</li>
 *   <li>{@code # expect <status>} on its own line before a curl: that curl must answer this status (else any 2xx);</li>
 *   <li>{@code # {...}} or {@code # [...]} on its own line after a curl: the response that curl gives;</li>
 *   <li>a {@code ```json} block right after the bash block: the response of its last curl;</li>
 *   <li>{@code # varies: key, key}: the values of these keys in the shown responses differ between machines.</li>
 * </ul>
 */
final class ReadmeExamples {

    static final String README_URL = "http://127.0.0.1:9200";
    private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*([A-Za-z0-9_+-]*)\\s*$");
    private static final Pattern CURL = Pattern.compile("^\\s*curl\\s");
    private static final Pattern EXPECT = Pattern.compile("^\\s*#\\s*expect\\s+(\\d{3})\\b.*$");
    private static final Pattern SHOWN = Pattern.compile("^\\s*#\\s*([\\[{].*)$");
    private static final Pattern NOT_RUN = Pattern.compile("^\\s*#\\s*not run:\\s*(\\S.*)$");
    private static final Pattern VARIES = Pattern.compile("^\\s*#\\s*varies:\\s*(.+)$");

    private ReadmeExamples() {}

    /** One curl of a block: the status it must answer (null: any 2xx) and the response shown for it, if any. */
    static final class Curl {
        final int line;
        Integer expectedStatus;
        String shown;
        int shownLine;

        Curl(int line) {
            this.line = line;
        }
    }

    /** One bash block: its text, where it starts, whether it runs, and its curls in order. */
    static final class Block {
        final int line;
        final String text;
        final String notRun;
        final List<Curl> curls;
        final Set<String> varies;

        Block(int line, String text, String notRun, List<Curl> curls, Set<String> varies) {
            this.line = line;
            this.text = text;
            this.notRun = notRun;
            this.curls = curls;
            this.varies = varies;
        }
    }

    static List<Block> parse(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (fence.matches() == false) {
                continue;
            }
            int start = i;
            int end = closing(lines, i);
            if (fence.group(1).equals("bash")) {
                Block block = block(lines, start, end);
                if (block != null) {
                    attachJson(lines, end, block);
                    blocks.add(block);
                }
            }
            i = end;
        }
        return blocks;
    }

    private static int closing(List<String> lines, int open) {
        for (int j = open + 1; j < lines.size(); j++) {
            if (lines.get(j).trim().equals("```")) {
                return j;
            }
        }
        throw new IllegalArgumentException("README line " + (open + 1) + ": a code block is never closed");
    }

    /** The block between the fences, or null when it sends nothing to a node (build commands, scripts). */
    private static Block block(List<String> lines, int open, int close) {
        List<String> body = lines.subList(open + 1, close);
        String text = String.join("\n", body) + "\n";
        if (body.stream().noneMatch(line -> CURL.matcher(line).find() && line.contains(README_URL))) {
            return null;
        }
        String notRun = null;
        Integer pending = null;
        List<Curl> curls = new ArrayList<>();
        Set<String> varies = new LinkedHashSet<>();
        for (int k = 0; k < body.size(); k++) {
            String line = body.get(k);
            int number = open + 2 + k; // 1-based README line
            Matcher m;
            if ((m = NOT_RUN.matcher(line)).matches()) {
                notRun = m.group(1).trim();
            } else if ((m = EXPECT.matcher(line)).matches()) {
                pending = Integer.parseInt(m.group(1));
            } else if ((m = VARIES.matcher(line)).matches()) {
                for (String key : m.group(1).split(",")) {
                    varies.add(key.trim());
                }
            } else if ((m = SHOWN.matcher(line)).matches() && curls.isEmpty() == false) {
                Curl last = curls.get(curls.size() - 1);
                last.shown = m.group(1);
                last.shownLine = number;
            } else if (CURL.matcher(line).find()) {
                Curl curl = new Curl(number);
                curl.expectedStatus = pending;
                pending = null;
                curls.add(curl);
            }
        }
        return new Block(open + 1, text, notRun, curls, varies);
    }

    /** A ```json block that follows the bash block (blank lines between at most) shows the last curl's response. */
    private static void attachJson(List<String> lines, int close, Block block) {
        int j = close + 1;
        while (j < lines.size() && lines.get(j).isBlank()) {
            j++;
        }
        if (j < lines.size() && FENCE.matcher(lines.get(j)).matches() && lines.get(j).trim().equals("```json") && block.curls.isEmpty() == false) {
            int end = closing(lines, j);
            Curl last = block.curls.get(block.curls.size() - 1);
            last.shown = String.join("\n", lines.subList(j + 1, end));
            last.shownLine = j + 2;
        }
    }
}
