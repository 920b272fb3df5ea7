package io.multivector.yaml;

import io.multivector.yaml.ReadmeExamples.Block;
import io.multivector.yaml.ReadmeExamples.Curl;
import org.opensearch.client.Request;
import org.opensearch.client.ResponseException;
import org.opensearch.test.rest.OpenSearchRestTestCase;
import org.junit.After;
import org.junit.Before;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The README, executed: its curl examples run in document order against the test node, as a reader would paste
 * them into a shell (with the node's port for 9200), and each response must have the status and the content the
 * README shows (see {@link ReadmeExamples} for the comment lines that say so). A section someone adds is run too.
 */
public class ReadmeIT extends OpenSearchRestTestCase {

    private static final long BLOCK_TIMEOUT_SECONDS = 180;

    /** A fresh node, as the README's reader has: no indices, pipelines or registered models left by other suites. */
    @Before
    @After
    @SuppressWarnings("unchecked")
    public void resetNode() throws IOException {
        wipeAllIndices();
        deleteIfPresent("/_ingest/pipeline/*");
        deleteIfPresent("/_search/pipeline/*");
        Map<String, Object> models = entityAsMap(client().performRequest(new Request("GET", "/_plugins/_multivector/models")));
        for (Map.Entry<String, Object> model : ((Map<String, Object>) models.get("models")).entrySet()) {
            if (Boolean.TRUE.equals(((Map<?, ?>) model.getValue()).get("built_in")) == false) {
                deleteIfPresent("/_plugins/_multivector/models/" + model.getKey());
            }
        }
    }

    private static void deleteIfPresent(String path) throws IOException {
        try {
            client().performRequest(new Request("DELETE", path));
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() != 404) {
                throw e;
            }
        }
    }

    public void testReadmeExamplesRunAsWritten() throws Exception {
        Path readme = Path.of(System.getProperty("readme.path", "README.md"));
        List<Block> blocks = ReadmeExamples.parse(Files.readAllLines(readme, StandardCharsets.UTF_8));
        assertFalse("no curl examples found in " + readme, blocks.isEmpty());
        String url = "http://" + getClusterHosts().get(0).toHostString();
        List<String> failures = new ArrayList<>();
        int ran = 0;
        for (Block block : blocks) {
            if (block.notRun != null) {
                logger.info("README line {}: not run ({})", block.line, block.notRun);
                continue;
            }
            ran++;
            failures.addAll(run(block, url));
        }
        logger.info("README: ran {} of {} example blocks", ran, blocks.size());
        if (failures.isEmpty() == false) {
            fail("README examples that do not run as written (" + readme + "):\n  " + String.join("\n  ", failures));
        }
    }

    /** Runs one block in bash, each curl recording its status and body; returns what does not match the README. */
    private List<String> run(Block block, String url) throws Exception {
        Path dir = createTempDir();
        Path script = dir.resolve("block.sh");
        // curl is wrapped, not rewritten: the block runs as written, and its responses are also printed as usual
        String wrapper = """
            set -eo pipefail
            __out=%s
            __n=0
            curl() {
              __n=$((__n + 1))
              command curl -sS -o "$__out/$__n.body" -w '%%{http_code}' "$@" > "$__out/$__n.status"
              cat "$__out/$__n.body"
            }
            """.formatted(dir);
        String text = block.text.replace(ReadmeExamples.README_URL, url).replace("http://localhost:9200", url);
        Files.writeString(script, wrapper + text);
        Process process = new ProcessBuilder("bash", script.toString()).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (process.waitFor(BLOCK_TIMEOUT_SECONDS, TimeUnit.SECONDS) == false) {
            process.destroyForcibly();
            return List.of("line " + block.line + ": the block did not finish within " + BLOCK_TIMEOUT_SECONDS + " s");
        }
        List<String> failures = new ArrayList<>();
        if (process.exitValue() != 0) {
            failures.add("line " + block.line + ": the block exited with " + process.exitValue() + ": " + tail(output));
        }
        for (int i = 0; i < block.curls.size(); i++) {
            Curl curl = block.curls.get(i);
            Path status = dir.resolve((i + 1) + ".status");
            if (Files.exists(status) == false) {
                failures.add("line " + curl.line + ": this curl did not run");
                continue;
            }
            int code = Integer.parseInt(Files.readString(status).trim());
            String body = Files.readString(dir.resolve((i + 1) + ".body"));
            boolean ok = curl.expectedStatus == null ? code >= 200 && code < 300 : code == curl.expectedStatus;
            if (ok == false) {
                failures.add("line " + curl.line + ": status " + code + ", expected " + (curl.expectedStatus == null ? "2xx (or mark it `# expect "
                    + code + "`)" : curl.expectedStatus) + ": " + abbreviate(body));
            } else if (curl.shown != null) {
                failures.addAll(compareShown(curl, body, block));
            }
        }
        if (Files.exists(dir.resolve((block.curls.size() + 1) + ".status"))) {
            failures.add("line " + block.line + ": the block ran more curls than it has lines starting with curl");
        }
        return failures;
    }

    private static List<String> compareShown(Curl curl, String body, Block block) {
        Object shown;
        try {
            shown = ShownOutput.parseShown(curl.shown);
        } catch (RuntimeException e) {
            return List.of("line " + curl.shownLine + ": the shown response is not JSON: " + e.getMessage());
        }
        Object actual;
        try {
            actual = ShownOutput.parse(body);
        } catch (RuntimeException e) {
            return List.of("line " + curl.line + ": the response is not JSON: " + abbreviate(body));
        }
        return ShownOutput.compare(shown, actual, block.varies).stream()
            .map(problem -> "line " + curl.shownLine + " (the response of line " + curl.line + "): " + problem).toList();
    }

    private static String tail(byte[] output) {
        String text = new String(output, StandardCharsets.UTF_8);
        return abbreviate(text.length() > 600 ? text.substring(text.length() - 600) : text);
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() > 400 ? flat.substring(0, 400) + "..." : flat;
    }
}
