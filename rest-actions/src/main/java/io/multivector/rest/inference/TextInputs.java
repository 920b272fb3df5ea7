package io.multivector.rest.inference;

/**
 * One rule, for queries, {@code _encode} and ingest, for a text that has nothing to encode: empty, or only whitespace,
 * control or format characters and punctuation. A model still turns such a text into a vector ([CLS] and [SEP] alone,
 * or punctuation tokens), and that vector ranks documents arbitrarily; queries and {@code _encode} refuse it, the
 * ingest processor treats it like a missing source field. Letters, digits and symbols (emoji included) are content.
 */
public final class TextInputs {

    private TextInputs() {}

    public static boolean hasContent(String text) {
        if (text == null) {
            return false;
        }
        return text.codePoints().anyMatch(TextInputs::isContent);
    }

    private static boolean isContent(int codePoint) {
        if (Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)) {
            return false;
        }
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.PRIVATE_USE, Character.SURROGATE,
                 Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                 Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> false;
            default -> true;
        };
    }

    /** The reason a text is refused, naming where it came from (e.g. {@code [query_text]}). */
    public static String nothingToEncode(String where) {
        return where + " has nothing to encode: it is empty or holds only whitespace, control characters or punctuation";
    }

    /**
     * A base64 image as sent by clients: a {@code data:image/png;base64,} prefix (what browsers' canvas and FileReader
     * give) is dropped, as are line breaks (MIME base64 wraps at 76 characters).
     */
    public static String stripDataUrl(String base64) {
        String s = base64;
        if (s.regionMatches(true, 0, "data:", 0, 5)) {
            int comma = s.indexOf(',');
            if (comma < 0 || s.substring(0, comma).toLowerCase(java.util.Locale.ROOT).endsWith(";base64") == false) {
                throw new IllegalArgumentException("an image given as a data URL must be base64 (data:image/...;base64,...)");
            }
            s = s.substring(comma + 1);
        }
        return s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 ? s.replaceAll("[\r\n]", "") : s;
    }
}
