package io.multivector.cluster;

import java.util.Random;

/** Seeded sentences, one per document id: the same id always has the same text, so any index can be refilled. */
final class Corpus {
    private static final String[] WORDS = ("cat dog river mountain bread butter sugar market stock price engine wheel "
        + "garden flower rain snow winter summer ship harbor train station music guitar piano song doctor patient "
        + "school teacher book library window sun moon star forest tree bird nest coffee tea kitchen recipe oven "
        + "football match goal player city street bridge light storm cloud ocean island village farmer field").split(" ");
    private static final String[] LINKS = "the a on in near under over with without after before".split(" ");

    private final long seed;

    Corpus(long seed) {
        this.seed = seed;
    }

    String text(int id) {
        Random random = new Random(seed * 1_000_003L + id);
        StringBuilder text = new StringBuilder();
        int words = 6 + random.nextInt(14);
        for (int i = 0; i < words; i++) {
            text.append(i == 0 ? "" : " ").append(i % 3 == 1 ? LINKS[random.nextInt(LINKS.length)] : WORDS[random.nextInt(WORDS.length)]);
        }
        return text.append('.').toString();
    }

    static String id(int n) {
        return "d" + n;
    }
}
