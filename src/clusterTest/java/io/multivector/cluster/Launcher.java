package io.multivector.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One cluster of real nodes run by scripts/cluster.sh, the launcher users run: start, the PID of each node, a node
 * killed and started again, all stopped and started again, stopped for good.
 */
final class Launcher implements AutoCloseable {
    /** Seconds a cluster may take to turn green: long, because CI machines may be small and shared. */
    static final int GREEN_SECONDS = 600;
    final Path dir;
    final int port;
    final int nodes;
    private final Path script = Path.of(System.getProperty("fault.launcher"));

    Launcher(Path dir, int port, int nodes) {
        this.dir = dir;
        this.port = port;
        this.nodes = nodes;
    }

    int port(int node) {
        return port + node;
    }

    void start(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("start", "--nodes", "" + nodes, "--port", "" + port, "--heap", "512m",
            "--timeout", "" + GREEN_SECONDS));
        args.addAll(List.of(extra));
        run(args);
    }

    /** node-N -> PID of every running node. */
    Map<Integer, Long> pids() throws IOException {
        Map<Integer, Long> pids = new TreeMap<>();
        for (String line : run(List.of("pids")).split("\n")) {
            String[] parts = line.trim().split(" ");
            if (parts.length == 2 && parts[0].startsWith("node-")) {
                pids.put(Integer.parseInt(parts[0].substring(5)), Long.parseLong(parts[1]));
            }
        }
        return pids;
    }

    /** SIGKILL, by PID, then waits until the process is gone. */
    void kill(int node) throws IOException, InterruptedException {
        Long pid = pids().get(node);
        if (pid == null) {
            throw new IllegalStateException("node-" + node + " is not running");
        }
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("node-" + node + " (pid " + pid + ") did not die", e);
        }
    }

    void startNode(int node) throws IOException {
        run(List.of("start-node", "--node", "" + node));
    }

    /** Starts every stopped node again and waits for green. */
    void resume() throws IOException {
        run(List.of("resume", "--timeout", "" + GREEN_SECONDS));
    }

    void stop() throws IOException {
        run(List.of("stop"));
    }

    @Override
    public void close() throws IOException {
        if (Files.exists(dir)) {
            stop();
        }
    }

    /** Waits until the node answers HTTP and is in the cluster. */
    void waitUp(int node, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Rest.call(port(node), "GET", "/_cluster/health?timeout=5s", null, Duration.ofSeconds(10));
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("node-" + node + " does not answer on port " + port(node) + " after " + timeout, e);
                }
                Thread.sleep(500);
            }
        }
    }

    /** Waits for green with all nodes; returns how long it took. */
    Duration waitGreen(Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            for (int node = 0; node < nodes; node++) {
                try {
                    Map<String, Object> health = Rest.call(port(node), "GET",
                        "/_cluster/health?wait_for_status=green&wait_for_nodes=" + nodes + "&timeout=10s", null, Duration.ofSeconds(20));
                    if ("green".equals(health.get("status")) && Boolean.FALSE.equals(health.get("timed_out"))) {
                        return Duration.ofNanos(System.nanoTime() - start);
                    }
                } catch (IOException e) {
                    last = e; // that node is down or starting: ask another
                }
            }
            Thread.sleep(500);
        }
        throw new IOException("cluster on port " + port + " not green with " + nodes + " nodes in " + timeout, last);
    }

    private String run(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(args);
        command.addAll(List.of("--dir", dir.toString()));
        Path output = Files.createTempFile("launcher", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!process.waitFor(15, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(command + " did not end in 15 minutes");
            }
            String stdout = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException(command + " failed with " + process.exitValue() + ": " + stdout);
            }
            return stdout;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
