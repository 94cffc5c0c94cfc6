package io.shmstore.codec;

import io.shmstore.SharedStore;
import io.shmstore.memory.Lifetime;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;

/**
 * One version of an application in {@link EvolutionTest}: {@code evolve.Quote} is whichever version is
 * on its class path. {@code write KEY SYMBOL BID [VENUE]} puts a quote; {@code read KEY} prints it.
 */
public final class EvolutionChild {
    public static void main(String[] args) throws ReflectiveOperationException {
        @SuppressWarnings("unchecked")
        Class<Object> type = (Class<Object>) Class.forName("evolve.Quote");
        try (SharedStore<String, Object> store = SharedStore.of(String.class, type).name("quotes").entries(100)
                .lifetime(Lifetime.PERSISTENT).valueCodec(JsonCodec.of(type)).createOrOpen()) {
            if (args[0].equals("write")) {
                RecordComponent[] parts = type.getRecordComponents();
                Class<?>[] types = new Class<?>[parts.length];
                Object[] values = new Object[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    types[i] = parts[i].getType();
                    values[i] = types[i] == double.class ? Double.parseDouble(args[2 + i]) : args[2 + i];
                }
                Constructor<Object> make = type.getDeclaredConstructor(types);
                store.put(args[1], make.newInstance(values));
                System.out.println("OK " + args[1]);
            } else {
                System.out.println("OK " + store.get(args[1]));
            }
        }
    }
}
