package io.multivector.plugin.source;

import java.util.function.Predicate;

/**
 * Finds the byte spans of the values of chosen fields in a JSON object without tokenizing it: the fields are
 * matched by dotted path through nested objects (not inside arrays), and each other value is skipped by
 * bracket matching. Masking a vector matrix this way costs a scan of its bytes instead of parsing each number,
 * which is what most of indexing a vector document would otherwise spend on the mask. Keys with escapes are
 * not handled: {@link #find} then returns null and the caller parses the source instead.
 */
final class JsonValueSpans {

    /** Bytes that start or end something the scanner must look at; everything else inside a value is skipped. */
    private static final boolean[] STRUCTURAL = new boolean[256];

    static {
        for (char c : new char[] { '"', '[', ']', '{', '}' }) {
            STRUCTURAL[c] = true;
        }
    }

    private final byte[] bytes;
    private final int end;
    private final Predicate<String> wanted;
    private int pos;
    private int[] spans = new int[8];
    private int count;

    private JsonValueSpans(byte[] bytes, int offset, int length, Predicate<String> wanted) {
        this.bytes = bytes;
        this.pos = offset;
        this.end = offset + length;
        this.wanted = wanted;
    }

    /**
     * The [start, end) spans, in order, of the array or string values of the fields for which {@code wanted}
     * holds; an empty array when there are none; null when the source is not a JSON object this scanner reads.
     */
    static int[] find(byte[] bytes, int offset, int length, Predicate<String> wanted) {
        JsonValueSpans scanner = new JsonValueSpans(bytes, offset, length, wanted);
        try {
            scanner.skipWhitespace();
            if (scanner.peek() != '{') {
                return null;
            }
            scanner.object("");
            return java.util.Arrays.copyOf(scanner.spans, scanner.count);
        } catch (UnsupportedOperationException | ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    private void object(String prefix) {
        pos++; // '{'
        while (true) {
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return;
            }
            String path = prefix + key();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            int start = pos;
            byte first = peek();
            if (first == '{') {
                object(path + ".");
            } else {
                skipValue();
                if ((first == '[' || first == '"') && wanted.test(path)) {
                    add(start, pos);
                }
            }
            skipWhitespace();
            if (peek() == ',') {
                pos++;
            } else if (peek() != '}') {
                throw new UnsupportedOperationException("malformed object");
            }
        }
    }

    private String key() {
        expect('"');
        int start = pos;
        while (bytes[pos] != '"') {
            if (bytes[pos] == '\\') {
                throw new UnsupportedOperationException("escaped key");
            }
            pos++;
        }
        String key = new String(bytes, start, pos - start, java.nio.charset.StandardCharsets.UTF_8);
        pos++;
        return key;
    }

    private void skipValue() {
        byte first = peek();
        if (first == '"') {
            skipString();
        } else if (first == '[' || first == '{') {
            int depth = 0;
            do {
                byte b = bytes[pos];
                if (STRUCTURAL[b & 0xFF]) {
                    if (b == '"') {
                        skipString();
                        continue;
                    }
                    depth += (b == '[' || b == '{') ? 1 : -1;
                }
                pos++;
            } while (depth > 0);
        } else {
            while (pos < end && bytes[pos] != ',' && bytes[pos] != '}' && bytes[pos] != ']' && isWhitespace(bytes[pos]) == false) {
                pos++;
            }
        }
    }

    private void skipString() {
        pos++; // opening quote
        while (bytes[pos] != '"') {
            pos += bytes[pos] == '\\' ? 2 : 1;
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < end && isWhitespace(bytes[pos])) {
            pos++;
        }
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private byte peek() {
        if (pos >= end) {
            throw new UnsupportedOperationException("truncated");
        }
        return bytes[pos];
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new UnsupportedOperationException("expected " + c);
        }
        pos++;
    }

    private void add(int start, int stop) {
        if (count + 2 > spans.length) {
            spans = java.util.Arrays.copyOf(spans, spans.length * 2);
        }
        spans[count++] = start;
        spans[count++] = stop;
    }
}
