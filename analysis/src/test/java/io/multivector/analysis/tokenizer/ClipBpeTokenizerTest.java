package io.multivector.analysis.tokenizer;

import org.junit.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

public class ClipBpeTokenizerTest {

    private static final int S = TinyClipTokenizerJson.START;
    private static final int E = TinyClipTokenizerJson.END;

    private static long[] padded(long... ids) {
        long[] out = Arrays.copyOf(ids, 77);
        Arrays.fill(out, ids.length, 77, E); // padded with <|endoftext|>, as Hugging Face's CLIP
        return out;
    }

    private static ClipBpeTokenizer tokenizer(boolean mergesAsArrays) throws IOException {
        return new ClipBpeTokenizer(TinyClipTokenizerJson.stream(mergesAsArrays), 77);
    }

    @Test
    public void refusesAWordPieceTokenizerJson() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClipBpeTokenizer(
            new java.io.ByteArrayInputStream("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}".getBytes()), 77));
        assertEquals("tokenizer.json model is [WordPiece], expected [BPE]", e.getMessage());
    }

    @Test
    public void byteMapMatchesGpt2Alphabet() {
        assertEquals('!', ByteLevelAlphabet.charOf('!'));
        assertEquals('\u00c3', ByteLevelAlphabet.charOf(0xC3));
        assertEquals((char) 256, ByteLevelAlphabet.charOf(0));
        assertEquals((char) (256 + 32), ByteLevelAlphabet.charOf(' '));
        assertEquals((char) 0x143, ByteLevelAlphabet.charOf(0xAD));
    }

    @Test
    public void handCheckedIds() throws IOException {
        for (boolean arrays : new boolean[] {false, true}) {
            ClipBpeTokenizer tok = tokenizer(arrays);
            ClipBpeTokenizer.Tokens t = tok.encode("A  CAT\n sat.");
            // a -> a</w>; cat -> c a t</w> -> c at</w> -> cat</w>; sat -> s at</w>; . -> .</w>
            assertArrayEquals(padded(S, 1, 2, 3, 4, 5, E), t.ids());
            assertEquals(7, t.length());
        }
    }

    @Test
    public void lowerRankMergesFirst() throws IOException {
        ClipBpeTokenizer tok = tokenizer(false);
        // "t a" would apply first left to right, but "a t</w>" has the lower rank
        assertEquals(List.of("t", "at</w>"), tok.merge("tat"));
        assertArrayEquals(padded(S, 6, 4, E), tok.encode("tat").ids());
    }

    @Test
    public void utf8BytesMapToPrintableCharacters() throws IOException {
        ClipBpeTokenizer tok = tokenizer(false);
        assertArrayEquals(padded(S, 7, 8, E), tok.encode("\u00e9").ids());
        assertArrayEquals(padded(S, 9, 10, E), tok.encode("\u00ad").ids());
    }

    @Test
    public void wordsFollowClipPattern() throws IOException {
        ClipBpeTokenizer tok = tokenizer(false);
        assertEquals(List.of("it", "'s", "a", "2", "0", "$%", "<|endoftext|>"), tok.words("It's   a 20 $% <|endoftext|>"));
    }

    @Test
    public void truncatesToContextLength() throws IOException {
        ClipBpeTokenizer tok = tokenizer(false);
        ClipBpeTokenizer.Tokens t = tok.encode("a ".repeat(100));
        assertEquals(77, t.ids().length);
        assertEquals(S, t.ids()[0]);
        assertEquals(1, t.ids()[75]);
        assertEquals(E, t.ids()[76]);
        assertEquals(77, t.length());
    }
}
