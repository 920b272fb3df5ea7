package io.multivector.yaml;

import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a response with the one the README shows. The shown text is JSON in which a reader's ellipses stand for
 * what is not deterministic or too long to show: {@code [...384 floats...]} (any bracketed text starting with
 * {@code ...}) is any value, a bare {@code ...} as a value is any value, and {@code ...} as an object member means
 * the object may have more members. Otherwise objects have the same keys, arrays the same length, strings and
 * booleans are equal, and numbers are equal within 1e-4 (responses print floats at their own precision).
 */
final class ShownOutput {

    static final String ANY = "<<any value>>";
    static final String MORE = "<<more members>>";

    private ShownOutput() {}

    static Object parseShown(String shown) {
        String json = shown.replaceAll("\\[\\.\\.\\.[^\\[\\]]*\\]", "\"" + ANY + "\"")
            .replaceAll("([{,]\\s*)\\.\\.\\.(\\s*[},])", "$1\"" + MORE + "\": true$2")
            .replaceAll(":\\s*\\.\\.\\.", ": \"" + ANY + "\"");
        return parse(json);
    }

    /** Any JSON value, wrapped so that arrays and scalars parse too. */
    static Object parse(String json) {
        return XContentHelper.convertToMap(JsonXContent.jsonXContent, "{\"v\": " + json + "\n}", true).get("v");
    }

    /** The differences, as "path: shown X, got Y"; empty when the response matches. */
    static List<String> compare(Object shown, Object actual, Set<String> varies) {
        List<String> problems = new ArrayList<>();
        compare("", shown, actual, varies, problems);
        return problems;
    }

    private static void compare(String path, Object shown, Object actual, Set<String> varies, List<String> problems) {
        if (ANY.equals(shown)) {
            return;
        }
        String key = path.substring(path.lastIndexOf('.') + 1);
        if (varies.contains(key)) {
            if (actual == null) {
                problems.add(path + ": shown, but missing");
            }
            return;
        }
        if (shown instanceof Map<?, ?> s && actual instanceof Map<?, ?> a) {
            for (Map.Entry<?, ?> entry : s.entrySet()) {
                if (MORE.equals(entry.getKey())) {
                    continue;
                }
                String child = path.isEmpty() ? String.valueOf(entry.getKey()) : path + "." + entry.getKey();
                if (a.containsKey(entry.getKey()) == false) {
                    problems.add(child + ": shown, but missing from the response");
                } else {
                    compare(child, entry.getValue(), a.get(entry.getKey()), varies, problems);
                }
            }
            if (s.containsKey(MORE) == false) {
                for (Object k : a.keySet()) {
                    if (s.containsKey(k) == false) {
                        problems.add((path.isEmpty() ? "" : path + ".") + k + ": in the response, but not shown");
                    }
                }
            }
        } else if (shown instanceof List<?> s && actual instanceof List<?> a) {
            if (s.size() != a.size()) {
                problems.add(path + ": shown " + s.size() + " items, got " + a.size() + ": " + a);
                return;
            }
            for (int i = 0; i < s.size(); i++) {
                compare(path + "." + i, s.get(i), a.get(i), varies, problems);
            }
        } else if (shown instanceof Number s && actual instanceof Number a) {
            double x = s.doubleValue(), y = a.doubleValue();
            if (Math.abs(x - y) > 1e-4 * Math.max(1, Math.abs(x))) {
                problems.add(path + ": shown " + s + ", got " + a);
            }
        } else if (shown == null ? actual != null : shown.equals(actual) == false) {
            problems.add(path + ": shown " + shown + ", got " + actual);
        }
    }
}
