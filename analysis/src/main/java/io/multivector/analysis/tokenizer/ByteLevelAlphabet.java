package io.multivector.analysis.tokenizer;

/**
 * GPT-2/CLIP's reversible map from the 256 byte values to printable Unicode characters, so that BPE can
 * work on strings without whitespace or control characters: printable Latin-1 bytes map to themselves,
 * the other bytes to U+0100 upwards, in byte order.
 */
final class ByteLevelAlphabet {

    private static final char[] BYTE_TO_CHAR = build();

    private ByteLevelAlphabet() {}

    private static char[] build() {
        char[] map = new char[256];
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) printable[b] = true;
        for (int b = 0xA1; b <= 0xAC; b++) printable[b] = true;
        for (int b = 0xAE; b <= 0xFF; b++) printable[b] = true;
        int next = 256;
        for (int b = 0; b < 256; b++) {
            map[b] = printable[b] ? (char) b : (char) next++;
        }
        return map;
    }

    static char charOf(int unsignedByte) {
        return BYTE_TO_CHAR[unsignedByte];
    }

    static String encode(byte[] utf8) {
        StringBuilder sb = new StringBuilder(utf8.length);
        for (byte b : utf8) {
            sb.append(BYTE_TO_CHAR[b & 0xFF]);
        }
        return sb.toString();
    }
}
