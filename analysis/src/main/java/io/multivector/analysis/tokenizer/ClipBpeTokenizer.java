package io.multivector.analysis.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's byte-level BPE tokenizer from a Hugging Face tokenizer.json (model type BPE with merges):
 * NFC + whitespace collapse + lowercase, CLIP's word regex, bytes mapped to printable characters, "</w>"
 * marking the end of each word, merges applied by rank, then &lt;|startoftext|&gt; ... &lt;|endoftext|&gt;
 * padded to the context length (77). Thread-safe.
 */
public final class ClipBpeTokenizer {

    public static final int CLIP_CONTEXT_LENGTH = 77;
    private static final String START = "<|startoftext|>";
    private static final String END = "<|endoftext|>";
    private static final Pattern WORDS = Pattern.compile(
        "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|\\p{L}+|\\p{N}|[^\\s\\p{L}\\p{N}]+",
        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern SPACES = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final int CACHE_LIMIT = 50_000;

    private final Map<String, Integer> vocab;
    private final Map<String, Integer> mergeRanks; // "left right" -> rank, lower merges first
    private final String endOfWord;
    private final int startId;
    private final int endId;
    private final int padId;
    private final int unkId;
    private final int contextLength;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /** Token ids padded to the context length; the first {@code length} are attended (start, text, end). */
    public record Tokens(long[] ids, int length) {}

    /** Reads a tokenizer.json; {@code contextLength} is the model's sequence length (77 for CLIP). */
    public ClipBpeTokenizer(InputStream tokenizerJson, int contextLength) throws IOException {
        JsonNode root = new ObjectMapper().readTree(tokenizerJson);
        JsonNode model = root == null ? null : root.path("model");
        if (model == null || "BPE".equals(model.path("type").asText()) == false) {
            throw new IllegalArgumentException("tokenizer.json model is [" + (model == null ? "" : model.path("type").asText())
                + "], expected [BPE]");
        }
        if (contextLength < 2) {
            throw new IllegalArgumentException("context length must be at least 2, got [" + contextLength + "]");
        }
        this.contextLength = contextLength;
        Map<String, Integer> v = new HashMap<>();
        model.path("vocab").fields().forEachRemaining(e -> v.put(e.getKey(), e.getValue().asInt()));
        for (JsonNode added : root.path("added_tokens")) { // special tokens may live outside the model's vocab
            v.putIfAbsent(added.path("content").asText(), added.path("id").asInt());
        }
        vocab = Map.copyOf(v);
        Map<String, Integer> ranks = new HashMap<>();
        int rank = 0;
        for (JsonNode m : model.path("merges")) {
            // older files write "a b", newer ones ["a", "b"]
            String key = m.isArray() ? m.get(0).asText() + " " + m.get(1).asText() : m.asText();
            ranks.putIfAbsent(key, rank++);
        }
        mergeRanks = Map.copyOf(ranks);
        endOfWord = model.path("end_of_word_suffix").asText("</w>");
        startId = id(START);
        endId = id(END);
        JsonNode unk = model.path("unk_token");
        unkId = unk.isTextual() ? id(unk.asText()) : endId;
        // Hugging Face's CLIP pads with <|endoftext|>; a padding section in the file wins
        padId = root.path("padding").path("pad_id").isInt() ? root.path("padding").path("pad_id").asInt() : endId;
    }

    private int id(String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException("tokenizer.json has no [" + token + "] token");
        }
        return id;
    }

    public int contextLength() {
        return contextLength;
    }

    /** Start, at most contextLength-2 text tokens, end, then padding up to the context length. */
    public Tokens encode(String text) {
        long[] ids = new long[contextLength];
        Arrays.fill(ids, padId);
        int n = 0;
        ids[n++] = startId;
        outer:
        for (String word : words(text)) {
            for (int id : bpeIds(word)) {
                if (n >= contextLength - 1) {
                    break outer;
                }
                ids[n++] = id;
            }
        }
        ids[n++] = endId;
        return new Tokens(ids, n);
    }

    List<String> words(String text) {
        String clean = SPACES.matcher(Normalizer.normalize(text, Normalizer.Form.NFC)).replaceAll(" ").strip()
            .toLowerCase(Locale.ROOT);
        List<String> words = new ArrayList<>();
        Matcher m = WORDS.matcher(clean);
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }

    private int[] bpeIds(String word) {
        if (START.equals(word)) {
            return new int[] {startId};
        }
        if (END.equals(word)) {
            return new int[] {endId};
        }
        int[] cached = cache.get(word);
        if (cached != null) {
            return cached;
        }
        List<String> parts = merge(ByteLevelAlphabet.encode(word.getBytes(StandardCharsets.UTF_8)));
        int[] ids = parts.stream().mapToInt(p -> vocab.getOrDefault(p, unkId)).toArray();
        if (cache.size() < CACHE_LIMIT) {
            cache.put(word, ids);
        }
        return ids;
    }

    /** Repeatedly merges the adjacent pair with the lowest rank, every occurrence at once, until none is known. */
    List<String> merge(String mapped) {
        List<String> symbols = new ArrayList<>(mapped.length());
        for (int i = 0; i < mapped.length(); i++) {
            String s = String.valueOf(mapped.charAt(i));
            symbols.add(i == mapped.length() - 1 ? s + endOfWord : s);
        }
        while (symbols.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            String bestLeft = null;
            String bestRight = null;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Integer r = mergeRanks.get(symbols.get(i) + " " + symbols.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    bestLeft = symbols.get(i);
                    bestRight = symbols.get(i + 1);
                }
            }
            if (bestLeft == null) {
                break;
            }
            List<String> next = new ArrayList<>(symbols.size());
            for (int i = 0; i < symbols.size(); i++) {
                if (i + 1 < symbols.size() && symbols.get(i).equals(bestLeft) && symbols.get(i + 1).equals(bestRight)) {
                    next.add(bestLeft + bestRight);
                    i++;
                } else {
                    next.add(symbols.get(i));
                }
            }
            symbols = next;
        }
        return symbols;
    }
}
