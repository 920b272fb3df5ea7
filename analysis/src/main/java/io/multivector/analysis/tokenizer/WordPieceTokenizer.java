package io.multivector.analysis.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BERT's tokenizer, read from a Hugging Face {@code tokenizer.json}: BertNormalizer (clean text, spaces around
 * CJK characters, lowercase and strip accents), BertPreTokenizer (split on whitespace and punctuation),
 * WordPiece (greedy longest match, {@code ##} continuations) and {@code [CLS] … [SEP]}.
 */
public final class WordPieceTokenizer {

    private final Map<String, Integer> vocab;
    private final String prefix;
    private final int maxCharsPerWord;
    private final boolean lowercase;
    private final boolean stripAccents;
    public final int unkId;
    public final int clsId;
    public final int sepId;
    public final int padId;
    public final int maskId;

    public WordPieceTokenizer(InputStream tokenizerJson) throws IOException {
        JsonNode root = new ObjectMapper().readTree(tokenizerJson);
        JsonNode model = root.path("model");
        if ("WordPiece".equals(model.path("type").asText()) == false) {
            throw new IllegalArgumentException("tokenizer.json model is [" + model.path("type").asText() + "], expected [WordPiece]");
        }
        Map<String, Integer> v = new HashMap<>();
        model.path("vocab").fields().forEachRemaining(e -> v.put(e.getKey(), e.getValue().asInt()));
        this.vocab = Map.copyOf(v);
        this.prefix = model.path("continuing_subword_prefix").asText("##");
        this.maxCharsPerWord = model.path("max_input_chars_per_word").asInt(100);
        JsonNode normalizer = root.path("normalizer");
        this.lowercase = normalizer.path("lowercase").asBoolean(true);
        JsonNode strip = normalizer.path("strip_accents");
        this.stripAccents = strip.isNull() || strip.isMissingNode() ? lowercase : strip.asBoolean();
        this.unkId = id(model.path("unk_token").asText("[UNK]"));
        this.clsId = id("[CLS]");
        this.sepId = id("[SEP]");
        this.padId = id("[PAD]");
        this.maskId = id("[MASK]");
    }

    /** The id of a token of the vocabulary (as written there, e.g. {@code [unused0]}), or null. */
    public Integer tokenId(String token) {
        return vocab.get(token);
    }

    private int id(String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException("tokenizer.json has no [" + token + "] token");
        }
        return id;
    }

    /** Token ids with [CLS] first and [SEP] last, at most {@code maxTokens} in all; flags say which are punctuation. */
    public Encoding encode(String text, int maxTokens) {
        List<Integer> ids = new ArrayList<>();
        List<Boolean> punctuation = new ArrayList<>();
        ids.add(clsId);
        punctuation.add(false);
        for (String word : preTokenize(normalize(text))) {
            boolean isPunct = word.length() == 1 && isPunctuation(word.charAt(0));
            for (int id : wordPiece(word)) {
                ids.add(id);
                punctuation.add(isPunct);
            }
        }
        int keep = Math.min(ids.size(), maxTokens - 1);
        long[] out = new long[keep + 1];
        boolean[] punct = new boolean[keep + 1];
        for (int i = 0; i < keep; i++) {
            out[i] = ids.get(i);
            punct[i] = punctuation.get(i);
        }
        out[keep] = sepId;
        return new Encoding(out, punct);
    }

    /** Ids of one encoded text; {@code punctuation[i]} is true for a punctuation token. */
    public record Encoding(long[] ids, boolean[] punctuation) {
        public int length() {
            return ids.length;
        }
    }

    String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == 0 || c == 0xFFFD || (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r')) {
                continue;
            }
            if (Character.isWhitespace(c) || Character.getType(c) == Character.SPACE_SEPARATOR) {
                out.append(' ');
            } else if (isCjk(c)) {
                out.append(' ').appendCodePoint(c).append(' ');
            } else {
                out.appendCodePoint(c);
            }
        }
        String s = out.toString();
        if (lowercase) {
            s = s.toLowerCase(java.util.Locale.ROOT);
        }
        if (stripAccents) {
            s = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{Mn}", "");
        }
        return s;
    }

    static List<String> preTokenize(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isWhitespace(c)) {
                flush(current, words);
            } else if (isPunctuation(c)) {
                flush(current, words);
                words.add(new String(Character.toChars(c)));
            } else {
                current.appendCodePoint(c);
            }
        }
        flush(current, words);
        return words;
    }

    private static void flush(StringBuilder current, List<String> words) {
        if (current.length() > 0) {
            words.add(current.toString());
            current.setLength(0);
        }
    }

    private List<Integer> wordPiece(String word) {
        if (word.codePointCount(0, word.length()) > maxCharsPerWord) {
            return List.of(unkId);
        }
        List<Integer> pieces = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer found = null;
            while (start < end) {
                String piece = (start > 0 ? prefix : "") + word.substring(start, end);
                found = vocab.get(piece);
                if (found != null) {
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (found == null) {
                return List.of(unkId);
            }
            pieces.add(found);
            start = end;
        }
        return pieces;
    }

    /** BERT's definition: ASCII symbols count as punctuation too, and every Unicode P* category. */
    static boolean isPunctuation(int c) {
        if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION || type == Character.START_PUNCTUATION
            || type == Character.END_PUNCTUATION || type == Character.INITIAL_QUOTE_PUNCTUATION
            || type == Character.FINAL_QUOTE_PUNCTUATION || type == Character.OTHER_PUNCTUATION;
    }

    private static boolean isCjk(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
            || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF)
            || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }
}
