package io.shmstore.store;

import io.shmstore.ChangeCursor;
import io.shmstore.ChangeListener;
import io.shmstore.ChangeType;
import io.shmstore.LockedEntry;
import io.shmstore.SharedStore;
import io.shmstore.testing.ChildJvm;
import io.shmstore.testing.ShmDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SharedStore#withLock}: the entry as stored (present, expired, absent, its expiry), the one change
 * made when the function returns, none when it throws, and an expiry change that the change feed does
 * not record; and what the feed tells a consumer about each change (who made it, whether a put replaced
 * a value).
 */
@ExtendWith(ShmDirExtension.class)
class WithLockTest {
    private static final Duration CHILD = Duration.ofSeconds(60);

    record Seen(ChangeType type, String key, int writerPid, boolean replaced) {
    }

    private static SharedStore<String, String> store(String name) {
        return SharedStore.of(String.class, String.class).name(name).entries(1000).createOrOpen();
    }

    private static List<Seen> drain(ChangeCursor<String> cursor) {
        List<Seen> out = new ArrayList<>();
        cursor.poll(new ChangeListener<String>() {
            @Override
            public void onChange(long sequence, ChangeType type, String key) {
                throw new AssertionError("the cursor calls the form that says who wrote the record");
            }

            @Override
            public void onChange(long sequence, ChangeType type, String key, int writerPid, boolean replaced) {
                out.add(new Seen(type, key, writerPid, replaced));
            }
        });
        return out;
    }

    @Test
    void shouldShowAnAbsentKeyAndStoreTheValueSetWithItsExpiry() {
        try (SharedStore<String, String> s = store("absent")) {
            long expiresAt = System.currentTimeMillis() + 60_000;
            String result = s.withLock("k", e -> {
                assertThat(e.key()).isEqualTo("k");
                assertThat(e.isPresent()).isFalse();
                assertThat(e.value()).isNull();
                assertThat(e.expiresAt()).isZero();
                assertThat(e.expiredValue()).isNull();
                e.setValue("v", expiresAt);
                assertThat(e.isPresent()).as("reads show what is stored, not the change asked for").isFalse();
                return "done";
            });
            assertThat(result).isEqualTo("done");
            assertThat(s.get("k")).isEqualTo("v");
            assertThat(s.<Long>withLock("k", LockedEntry::expiresAt)).isEqualTo(expiresAt);
            assertThat(s.<String>withLock("k", LockedEntry::value)).isEqualTo("v");
        }
    }

    @Test
    void shouldChangeNothingWhenTheFunctionThrows() {
        try (SharedStore<String, String> s = store("throws")) {
            s.put("k", "old");
            assertThatThrownBy(() -> s.withLock("k", e -> {
                e.setValue("new", Long.MAX_VALUE);
                throw new IllegalStateException("changed my mind");
            })).hasMessage("changed my mind");
            assertThat(s.get("k")).isEqualTo("old");
            assertThatThrownBy(() -> s.withLock("k", e -> {
                e.remove();
                throw new AssertionError("no");
            })).isInstanceOf(AssertionError.class);
            assertThat(s.get("k")).isEqualTo("old");
        }
    }

    @Test
    void shouldMakeTheLastChangeAskedFor() {
        try (SharedStore<String, String> s = store("last")) {
            s.put("k", "old");
            s.withLock("k", e -> {
                e.remove();
                e.setValue("kept", Long.MAX_VALUE);
                return null;
            });
            assertThat(s.get("k")).isEqualTo("kept");
            long later = System.currentTimeMillis() + 30_000;
            s.withLock("k", e -> {
                e.setValue("timed", Long.MAX_VALUE);
                e.setExpiresAt(later);
                return null;
            });
            assertThat(s.<String>withLock("k", e -> e.value() + "@" + e.expiresAt())).isEqualTo("timed@" + later);
            s.withLock("k", e -> {
                e.setValue("gone", Long.MAX_VALUE);
                e.remove();
                return null;
            });
            assertThat(s.containsKey("k")).isFalse();
        }
    }

    @Test
    void shouldRewriteOnlyTheExpiryWithoutAChangeRecord() throws Exception {
        try (SharedStore<String, String> s = store("touch");
             ChangeCursor<String> cursor = s.changes().cursor()) {
            s.put("k", "v", Duration.ofMillis(150));
            long far = System.currentTimeMillis() + 3_600_000;
            s.withLock("k", e -> {
                e.setExpiresAt(far);
                return null;
            });
            Thread.sleep(300);
            assertThat(s.get("k")).as("the new expiry holds past the old one").isEqualTo("v");
            assertThat(s.<Long>withLock("k", LockedEntry::expiresAt)).isEqualTo(far);
            assertThat(drain(cursor)).extracting(Seen::type).containsExactly(ChangeType.PUT);
        }
    }

    @Test
    void shouldShowAnExpiredEntryAndRecordItsRemovalAsAnExpiry() throws Exception {
        try (SharedStore<String, String> s = store("expired");
             ChangeCursor<String> cursor = s.changes().cursor()) {
            s.put("k", "stale", Duration.ofMillis(50));
            Thread.sleep(120);
            AtomicReference<String> expired = new AtomicReference<>();
            s.withLock("k", e -> {
                assertThat(e.isPresent()).isFalse();
                assertThat(e.value()).isNull();
                expired.set(e.expiredValue());
                assertThatThrownBy(() -> e.setExpiresAt(Long.MAX_VALUE)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("no value present");
                e.remove();
                return null;
            });
            assertThat(expired.get()).isEqualTo("stale");
            assertThat(drain(cursor)).extracting(Seen::type).containsExactly(ChangeType.PUT, ChangeType.EXPIRE);
        }
    }

    @Test
    void shouldRefuseBadInputAndUseAfterTheFunction() {
        try (SharedStore<String, String> s = store("bad")) {
            assertThatThrownBy(() -> s.withLock("k", e -> {
                e.setValue("v", -5);
                return null;
            })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expiresAt -5");
            assertThatThrownBy(() -> s.withLock("k", e -> {
                e.setValue(null, 1);
                return null;
            })).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> s.withLock(null, e -> null)).isInstanceOf(NullPointerException.class);
            LockedEntry<String, String> escaped = s.withLock("k", e -> e);
            assertThatThrownBy(escaped::value).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("only inside the function");
        }
    }

    @Test
    void shouldTellAConsumerWhoMadeEachChangeAndWhetherAPutReplacedAValue() throws Exception {
        int self = (int) ProcessHandle.current().pid();
        try (SharedStore<String, String> s = store("origin");
             ChangeCursor<String> cursor = s.changes().cursor()) {
            s.put("a", "1");
            s.put("a", "2");
            s.put("b", "1", Duration.ofMillis(30));
            Thread.sleep(80);
            s.put("b", "2");
            s.remove("a");
            int childPid;
            try (ChildJvm child = ChildJvm.start(Child.class, "origin")) {
                childPid = (int) child.pid();
                child.expect("DONE", CHILD);
                assertThat(child.waitFor(CHILD)).isZero();
            }
            assertThat(drain(cursor)).containsExactly(
                    new Seen(ChangeType.PUT, "a", self, false),
                    new Seen(ChangeType.PUT, "a", self, true),
                    new Seen(ChangeType.PUT, "b", self, false),
                    new Seen(ChangeType.PUT, "b", self, false),
                    new Seen(ChangeType.REMOVE, "a", self, false),
                    new Seen(ChangeType.PUT, "c", childPid, false),
                    new Seen(ChangeType.PUT, "b", childPid, true));
            assertThat(s.verify()).isEmpty();
        }
    }

    /** Puts "c" (new) and "b" (replacing) into the store named by its argument. */
    public static final class Child {
        public static void main(String[] args) {
            try (SharedStore<String, String> s = store(args[0])) {
                s.put("c", "child");
                s.put("b", "child");
                System.out.println("DONE");
            }
        }
    }
}
