package io.shmstore.internal.platform.posix;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The one errno table: every entry names its constant and says what it means; no number is shown bare. */
class ErrnoTest {

    @Test
    void everyErrnoIsShownByNameAndMeaningNeverAsABareNumber() throws IllegalAccessException {
        Set<Integer> numbers = new HashSet<>();
        for (Field f : Errno.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) {
                continue;
            }
            int errno = f.getInt(null);
            assertThat(numbers.add(errno)).as("%s has a number of its own", f.getName()).isTrue();
            assertThat(Errno.describe(errno)).as(f.getName()).matches(f.getName() + " \\([a-z][-a-z /]+\\)");
        }
        assertThat(numbers).hasSizeGreaterThan(25);
        assertThat(Errno.describe(Errno.EISDIR)).isEqualTo("EISDIR (is a directory)");
        assertThat(Errno.describe(Errno.ESPIPE)).isEqualTo("ESPIPE (illegal seek)");
        assertThat(Errno.describe(Errno.EROFS)).isEqualTo("EROFS (read-only file system)");
        assertThat(Errno.describe(4095)).isEqualTo("errno 4095 (unknown)");
    }
}
