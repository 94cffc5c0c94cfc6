package io.shmstore.codec;

import io.shmstore.SharedStore;

/** The other JVM of the codec tests: writes quotes with one codec, or reads them back. */
public final class CodecChild {
    public static void main(String[] args) {
        String format = args[1];
        try (SharedStore<String, Quote> store = CodecStoreTest.quotes(args[2], format).createOrOpen()) {
            int n = Integer.parseInt(args[3]);
            if (args[0].equals("write")) {
                for (int i = 0; i < n; i++) {
                    store.put("q" + i, CodecStoreTest.quote(i));
                }
                System.out.println("WROTE " + n);
            } else {
                int same = 0;
                for (int i = 0; i < n; i++) {
                    if (CodecStoreTest.quote(i).equals(store.get("q" + i))) {
                        same++;
                    }
                }
                System.out.println("MATCHED " + same);
            }
        }
    }
}
