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
public final class WordPieceTokenizer implements TextTokenizer {

    private final Map<String, Integer> vocab;
    private final String prefix;
    private final int maxCharsPerWord;
    private final boolean lowercase;
    private final boolean stripAccents;
    private final int unkId;
    private final SpecialTokens specialTokens;
    /** Tokens matched in the raw text before anything else ([CLS], [MASK], ...), longest first, and their ids. */
    private final List<String> addedTokens;
    private final Map<String, Integer> addedTokenIds;

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
        this.specialTokens = new SpecialTokens(id("[CLS]"), id("[SEP]"), id("[PAD]"), id("[MASK]"));
        List<String> added = new ArrayList<>();
        Map<String, Integer> addedIds = new HashMap<>();
        for (JsonNode token : root.path("added_tokens")) {
            String content = token.path("content").asText("");
            // normalized tokens would be matched in the normalized text; BERT's are all matched in the raw text
            if (content.isEmpty() == false && token.path("normalized").asBoolean(false) == false) {
                added.add(content);
                addedIds.put(content, token.path("id").asInt());
            }
        }
        added.sort((a, b) -> b.length() - a.length()); // the longest match wins, as in Hugging Face's library
        this.addedTokens = List.copyOf(added);
        this.addedTokenIds = Map.copyOf(addedIds);
    }

    @Override
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
    @Override
    public Encoding encode(String text, int maxTokens) {
        List<Integer> ids = new ArrayList<>();
        List<Boolean> punctuation = new ArrayList<>();
        ids.add(specialTokens.cls());
        punctuation.add(false);
        int from = 0;
        for (int at = 0; at <= text.length(); at++) {
            String added = at < text.length() ? addedTokenAt(text, at) : null;
            if (added == null && at < text.length()) {
                continue;
            }
            for (String word : preTokenize(normalize(text.substring(from, at)))) {
                boolean isPunct = word.length() == 1 && isPunctuation(word.charAt(0));
                for (int id : wordPiece(word)) {
                    ids.add(id);
                    punctuation.add(isPunct);
                }
            }
            if (added != null) {
                ids.add(addedTokenIds.get(added));
                punctuation.add(false);
                at += added.length() - 1;
            }
            from = at + 1;
        }
        int keep = Math.min(ids.size(), maxTokens - 1);
        long[] out = new long[keep + 1];
        boolean[] punct = new boolean[keep + 1];
        for (int i = 0; i < keep; i++) {
            out[i] = ids.get(i);
            punct[i] = punctuation.get(i);
        }
        out[keep] = specialTokens.sep();
        return new Encoding(out, punct);
    }

    /** The added token that starts at {@code at}, the longest if several do, or null. */
    private String addedTokenAt(String text, int at) {
        for (String token : addedTokens) {
            if (text.startsWith(token, at)) {
                return token;
            }
        }
        return null;
    }

    @Override
    public SpecialTokens specialTokens() {
        return specialTokens;
    }

    String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == 0 || c == 0xFFFD || isControl(c)) {
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

    /** Hugging Face's clean_text drops every "other" character (Cc, Cf, Co, Cn: soft hyphen, zero-width space) but tab and newlines. */
    private static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE || type == Character.UNASSIGNED
            || type == Character.SURROGATE;
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
