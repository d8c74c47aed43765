package dev.compliance.streams;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a store key written {@code h1|...|hN|free text|t1|...|tM}, where the fixed fields (ISO days, enum
 * names, numbers) never hold a '|' and the one free field (an orgId) may: the first N fields are cut at
 * the first N bars, the last M at the last M bars, and the free field is what remains between them.
 */
public final class StoreKeys {

    /** The fields of a split key. */
    public record Parts(List<String> heads, String middle, List<String> tails) {
        public String head(int i) {
            return heads.get(i);
        }

        public String tail(int i) {
            return tails.get(i);
        }
    }

    private StoreKeys() {
    }

    /** Splits {@code key} into {@code heads} leading fields, the free field, and {@code tails} trailing fields. */
    public static Parts split(String key, int heads, int tails) {
        List<String> head = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < heads; i++) {
            int bar = key.indexOf('|', start);
            if (bar < 0) {
                throw new IllegalArgumentException("not a store key (too few fields): " + key);
            }
            head.add(key.substring(start, bar));
            start = bar + 1;
        }
        String[] tail = new String[tails];
        int end = key.length();
        for (int i = tails - 1; i >= 0; i--) {
            int bar = key.lastIndexOf('|', end - 1);
            if (bar < start) {
                throw new IllegalArgumentException("not a store key (too few fields): " + key);
            }
            tail[i] = key.substring(bar + 1, end);
            end = bar;
        }
        return new Parts(head, key.substring(start, end), List.of(tail));
    }
}
