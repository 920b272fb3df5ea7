package io.multivector.codec.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The first-stage benchmark's PNG: recall@10 of exact MaxSim against median latency as a fraction of the exact scan
 * (log scale), one line per index size / field / encoding, each point labelled with its num_candidates. Plain Java2D,
 * so the benchmark needs nothing beyond the JDK to draw it.
 */
final class RecallPlot {

    private record Point(double fraction, double recall, int candidates) {}

    private static final Color[] COLORS = { new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf) };
    private static final int WIDTH = 900, HEIGHT = 600, LEFT = 80, RIGHT = 330, TOP = 50, BOTTOM = 60;
    private static final double MIN_LOG = -3, MAX_LOG = 1, MIN_RECALL = 0.5;

    private final Map<String, List<Point>> series = new LinkedHashMap<>();

    /**
     * Draws the rows of first-stage benchmark tables (markdown, as the benchmark prints them and the README keeps them;
     * rows without a data column are synthetic): {@code RecallPlot OUT.png TITLE TABLE.md...}.
     */
    public static void main(String[] args) throws IOException {
        RecallPlot plot = new RecallPlot();
        for (int i = 2; i < args.length; i++) {
            for (String line : java.nio.file.Files.readAllLines(Path.of(args[i]))) {
                String[] cells = line.split("\\|");
                if (cells.length < 9 || line.contains("filter")) {
                    continue;
                }
                boolean synthetic = cells[1].trim().matches("[0-9]+");
                if (synthetic == false && cells[2].trim().matches("[0-9]+") == false) {
                    continue; // a header or separator
                }
                int c = synthetic ? 3 : 5; // the num_candidates column; recall@10 follows, then p50, p99, p50 vs exact
                String name = synthetic ? "synthetic " + cells[1].trim() + " float " + cells[2].trim()
                    : cells[1].trim() + " " + cells[2].trim() + " " + cells[3].trim() + " " + cells[4].trim();
                int candidates = Integer.parseInt(cells[c].trim());
                double recall = Double.parseDouble(cells[c + 1].trim()), fraction = Double.parseDouble(cells[c + 4].trim());
                plot.add(name.replace(" (2560)", "").replace(" (1024)", ""), fraction, recall, candidates);
            }
        }
        plot.write(Path.of(args[0]), args[1]);
    }

    void add(String name, double fraction, double recall, int candidates) {
        series.computeIfAbsent(name, n -> new ArrayList<>()).add(new Point(fraction, recall, candidates));
    }

    void write(Path file, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        axes(g);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int index = 0;
        for (Map.Entry<String, List<Point>> entry : series.entrySet()) {
            g.setColor(COLORS[index % COLORS.length]);
            g.setStroke(new BasicStroke(2f));
            int[] previous = null;
            for (Point p : entry.getValue()) {
                int[] xy = { x(p.fraction()), y(p.recall()) };
                if (previous != null) {
                    g.drawLine(previous[0], previous[1], xy[0], xy[1]);
                }
                g.fillOval(xy[0] - 4, xy[1] - 4, 8, 8);
                g.drawString(Integer.toString(p.candidates()), xy[0] + 5, xy[1] + 14);
                previous = xy;
            }
            int legendY = TOP + 20 + 20 * index;
            g.fillRect(WIDTH - RIGHT + 20, legendY - 9, 14, 10);
            g.setColor(Color.BLACK);
            g.drawString(entry.getKey(), WIDTH - RIGHT + 40, legendY);
            index++;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private void axes(Graphics2D g) {
        int x0 = LEFT, x1 = WIDTH - RIGHT, y0 = HEIGHT - BOTTOM, y1 = TOP;
        g.setColor(new Color(0xdddddd));
        for (double recall = MIN_RECALL; recall <= 1.0001; recall += 0.05) {
            g.drawLine(x0, y(recall), x1, y(recall));
        }
        for (double log = MIN_LOG; log <= MAX_LOG; log++) {
            g.drawLine(x(Math.pow(10, log)), y0, x(Math.pow(10, log)), y1);
        }
        g.setColor(new Color(0x999999));
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] { 6f, 4f }, 0f));
        g.drawLine(x0, y(0.95), x1, y(0.95)); // the goal: recall 0.95 ...
        g.drawLine(x(0.1), y0, x(0.1), y1); // ... at 10% of exact latency
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.BLACK);
        g.drawRect(x0, y1, x1 - x0, y0 - y1);
        for (double recall = MIN_RECALL; recall <= 1.0001; recall += 0.1) {
            g.drawString(String.format(Locale.ROOT, "%.1f", recall), x0 - 30, y(recall) + 4);
        }
        for (double log = MIN_LOG; log <= MAX_LOG; log++) {
            String label = String.format(Locale.ROOT, "%s%%", trim(100 * Math.pow(10, log)));
            g.drawString(label, x(Math.pow(10, log)) - 12, y0 + 18);
        }
        g.drawString("p50 latency as a fraction of exact MaxSim (log scale); labels: num_candidates", x0, y0 + 42);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString("recall@10 of exact MaxSim", -(y0 + y1) / 2 - 70, 25);
        rotated.dispose();
    }

    private static String trim(double percent) {
        return percent >= 1 ? Long.toString(Math.round(percent)) : String.format(Locale.ROOT, "%.1f", percent);
    }

    private static int x(double fraction) {
        double log = Math.max(MIN_LOG, Math.min(MAX_LOG, Math.log10(fraction)));
        return LEFT + (int) Math.round((log - MIN_LOG) / (MAX_LOG - MIN_LOG) * (WIDTH - RIGHT - LEFT));
    }

    private static int y(double recall) {
        double r = Math.max(MIN_RECALL, Math.min(1, recall));
        return HEIGHT - BOTTOM - (int) Math.round((r - MIN_RECALL) / (1 - MIN_RECALL) * (HEIGHT - BOTTOM - TOP));
    }
}
