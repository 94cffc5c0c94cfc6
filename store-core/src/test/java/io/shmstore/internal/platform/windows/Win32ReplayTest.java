package io.shmstore.internal.platform.windows;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares what Win32 answers to the Windows backend's call sequences, replayed by {@code
 * store-core/src/test/win32/replay.c} under Wine, with what the backend's code is written against ({@link
 * Win32Facts}): a change of the backend's error mapping that Win32 does not support fails here.
 *
 * <p>Runs where {@code x86_64-w64-mingw32-gcc} and {@code wine64} are installed (CI installs them);
 * elsewhere it is skipped, saying so, unless the environment variable {@code SHMSTORE_WIN32_REPLAY=required},
 * which CI sets, makes a missing tool a failure.
 *
 * <p>Where Wine 8 is known to answer unlike Windows, the expectation names both answers and the
 * backend handles both: {@link #WINE_DIFFERS}.
 */
class Win32ReplayTest {
    private static final Path SCRIPT = Path.of("src", "test", "win32", "run.sh").toAbsolutePath().normalize();
    private static final Path OUT = Path.of("target", "win32-replay").toAbsolutePath();
    /** run.sh's exit code when a tool is missing. */
    private static final int TOOLS_MISSING = 3;

    /**
     * Facts on which Wine 8 differs from Windows, with Windows' documented answer first and Wine's
     * second. The backend is written for Windows' answer and copes with Wine's.
     */
    static final Map<String, List<Long>> WINE_DIFFERS = Map.of(
            // Windows: a page of a SEC_RESERVE section that was never committed faults; Wine backs it
            "reserve.uncommitted_page_faults", List.of(1L, 0L),
            "reserve.other_process.uncommitted_faults", List.of(1L, 0L),
            // Windows checks the DACL of an existing object against CreateMutex's MUTEX_ALL_ACCESS;
            // Wine grants the creator's user: the backend's ACCESS_DENIED fallback covers Windows
            "security.create_existing_without_all_access", List.of((long) Win32Facts.ACCESS_DENIED,
                    (long) Win32Facts.NAME_EXISTS));

    /** Printed by the replay for the record; the backend no longer depends on them. */
    static final Set<String> INFORMATIONAL = Set.of(
            "security.default_owner.get_security_info", "security.default_owner.is_user",
            "security.default_owner.is_administrators",
            // Wine reports a DACL rebuilt from the file's Unix mode bits, checked below as mode bits
            "file.owner_only.dacl_aces", "file.owner_only.dacl_grants_only_the_user");

    private static Map<String, Long> facts;

    @BeforeAll
    static void replay() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), OUT.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the Win32 replay did not finish in 5 minutes:\n" + output);
        }
        if (p.exitValue() == TOOLS_MISSING) {
            String why = output.strip();
            if ("required".equals(System.getenv("SHMSTORE_WIN32_REPLAY"))) {
                throw new AssertionError("the Win32 replay is required here (SHMSTORE_WIN32_REPLAY=required): " + why);
            }
            Assumptions.abort("Win32 replay skipped: " + why);
        }
        assertThat(p.exitValue()).as("exit code of %s; its output:%n%s", SCRIPT, output).isZero();
        facts = parse(output);
        Files.writeString(OUT.resolve("output.txt"), output);
        System.out.println("Win32 replay under Wine: " + facts.size() + " facts, written to " + OUT.resolve("facts.txt"));
    }

    static Map<String, Long> parse(String output) {
        Map<String, Long> parsed = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] parts = line.strip().split(" ");
            if (parts.length == 3 && parts[0].equals("FACT")) {
                Long previous = parsed.put(parts[1], Long.parseLong(parts[2]));
                assertThat(previous).as("fact %s printed twice", parts[1]).isNull();
            }
        }
        return parsed;
    }

    /** What the backend's code relies on, fact by fact. */
    static Map<String, Long> expected() {
        Map<String, Long> e = new LinkedHashMap<>();
        long yes = 1;
        long ok = 0;
        // Sections.createNamed: ERROR_ALREADY_EXISTS returns the existing object; exactly one creator
        e.put("section.create.new", ok);
        e.put("section.create.existing", (long) Win32Facts.NAME_EXISTS);
        e.put("section.create.existing.same_object", yes);
        e.put("section.starts_zeroed", yes); // Headers: a zero magic means "creator still writing"
        e.put("section.open.absent", (long) Win32Facts.NAME_ABSENT);
        // WindowsRegion.destroy / Sections.taken: a destroyed name lingers while another handle is open
        e.put("section.create.while_another_handle_open", (long) Win32Facts.NAME_EXISTS);
        e.put("section.open.after_last_close", (long) Win32Facts.NAME_ABSENT);
        e.put("race.creators", 1L);
        e.put("race.openers", 3L);
        // WindowsRegion.map: views at multiples of the granularity; read-only views
        e.put("view.allocation_granularity", Win32Facts.ALLOCATION_GRANULARITY);
        e.put("view.unaligned_offset", (long) Win32Facts.UNALIGNED_VIEW);
        e.put("view.aligned_offset", ok);
        e.put("view.open_read_only", ok);
        e.put("view.read_only.reads", yes);
        e.put("view.read_only.refuses_write", yes);
        e.put("view.writable_of_read_only_handle", (long) Win32Facts.ACCESS_DENIED);
        e.put("view.outlives_its_handles", yes); // WindowsMapping: views survive their region
        e.put("large.create_5gib_reserved", ok);
        e.put("large.view_above_4gib", ok);
        e.put("large.commit_and_write_above_4gib", yes);
        // sparse sections: SEC_RESERVE, committed range by range (WindowsRegion.reserve)
        e.put("reserve.create", ok);
        e.put("reserve.commit_in_view", ok);
        e.put("reserve.commit_twice", ok); // openers commit whatever they reserve, committed or not
        e.put("reserve.committed_in_other_view", yes);
        e.put("reserve.other_process.reads_committed", yes);
        // Headers.awaitMagic: VirtualQuery tells an uncommitted header from a committed one, in any process
        e.put("reserve.query_uncommitted_state", (long) Win32Facts.MEM_RESERVE);
        e.put("reserve.query_committed_state", (long) Win32Facts.MEM_COMMIT);
        e.put("reserve.other_process.query_committed", yes);
        e.put("reserve.decommit_in_view", (long) Win32Facts.DECOMMIT_OF_VIEW_REFUSED); // release() is false
        // Win32Errors.heldByOtherType: one namespace, and probing names the type that holds a name
        for (String clash : List.of("open_mapping_on_mutex", "create_mapping_on_mutex", "create_event_on_mutex",
                "open_event_on_mutex", "create_mutex_on_event", "open_mapping_on_event", "create_mutex_on_mapping",
                "create_event_on_mapping", "open_mutex_on_mapping")) {
            e.put("clash." + clash, (long) Win32Facts.NAME_HELD_BY_OTHER_TYPE);
        }
        e.put("clash.probe_open_mutex_on_mutex", ok);
        e.put("clash.probe_open_event_on_event", ok);
        e.put("clash.probe_open_mapping_on_mapping", ok);
        e.put("clash.helper_name_with_bang", ok); // Local\shmstore!owner.x, Local\shmstore!file.id
        // WindowsMutex: recursion refused by the backend itself, NOT_OWNER, abandonment, time-outs
        e.put("mutex.create.new", ok);
        e.put("mutex.create.existing", (long) Win32Facts.NAME_EXISTS);
        e.put("mutex.wait.free", (long) Win32Facts.WAIT_OBJECT_0);
        e.put("mutex.wait.recursive_by_owner", (long) Win32Facts.WAIT_OBJECT_0);
        e.put("mutex.release_by_other_thread", (long) Win32Facts.NOT_OWNER);
        e.put("mutex.release_when_not_held", (long) Win32Facts.NOT_OWNER);
        e.put("mutex.wait.owner_thread_exited", (long) Win32Facts.WAIT_ABANDONED);
        e.put("mutex.wait.timeout", (long) Win32Facts.WAIT_TIMEOUT);
        e.put("mutex.wait.after_owner_released", (long) Win32Facts.WAIT_OBJECT_0);
        e.put("mutex.cross_process.wait_while_owner_lives", (long) Win32Facts.WAIT_TIMEOUT);
        e.put("mutex.cross_process.wait_after_owner_killed", (long) Win32Facts.WAIT_ABANDONED);
        e.put("mutex.cross_process.wait_took_under_5s", yes);
        // WindowsEvent: NtQueryEvent reads the creator's mode, given EVENT_QUERY_STATE
        e.put("event.create.existing", (long) Win32Facts.NAME_EXISTS);
        // WindowsSemaphore: create-or-open keeps the creator's counts (an opener checks the maximum
        // through NtQuerySemaphore), a release past the maximum is refused and changes nothing
        e.put("semaphore.create.new", ok);
        e.put("semaphore.create.existing", (long) Win32Facts.NAME_EXISTS);
        e.put("semaphore.query.count_of_existing", 2L);
        e.put("semaphore.query.max_of_existing", 3L);
        e.put("semaphore.open.absent", (long) Win32Facts.NAME_ABSENT);
        e.put("semaphore.wait.first", (long) Win32Facts.WAIT_OBJECT_0);
        e.put("semaphore.wait.second", (long) Win32Facts.WAIT_OBJECT_0);
        e.put("semaphore.wait.empty", (long) Win32Facts.WAIT_TIMEOUT);
        e.put("semaphore.release.two", ok);
        e.put("semaphore.release.previous_count", 0L);
        e.put("semaphore.release.beyond_max", (long) Win32Facts.TOO_MANY_POSTS);
        e.put("semaphore.query.count_after_refused_release", 2L);
        e.put("semaphore.open.after_last_close", (long) Win32Facts.NAME_ABSENT);
        for (String clash : List.of("create_semaphore_on_mutex", "open_semaphore_on_mutex", "create_mutex_on_semaphore",
                "open_mapping_on_semaphore")) {
            e.put("clash." + clash, (long) Win32Facts.NAME_HELD_BY_OTHER_TYPE);
        }
        e.put("clash.probe_open_semaphore_on_semaphore", ok);
        e.put("event.query.type_of_manual_opened_as_auto", (long) Win32Facts.EVENT_TYPE_MANUAL_RESET);
        e.put("event.query.type_of_auto_opened_as_manual", (long) Win32Facts.EVENT_TYPE_AUTO_RESET);
        e.put("event.query.status", ok);
        e.put("event.query.without_query_state", Integer.toUnsignedLong(Win32Facts.STATUS_ACCESS_DENIED));
        e.put("event.query.with_query_state", ok);
        e.put("event.auto.first_wait", (long) Win32Facts.WAIT_OBJECT_0);
        e.put("event.auto.second_wait", (long) Win32Facts.WAIT_TIMEOUT);
        e.put("event.manual.first_wait", (long) Win32Facts.WAIT_OBJECT_0);
        e.put("event.manual.second_wait", (long) Win32Facts.WAIT_OBJECT_0);
        e.put("event.manual.after_reset", (long) Win32Facts.WAIT_TIMEOUT);
        // Sections.createFile / openFile / fileSection, SecurityAttributes for files
        e.put("file.create_new", ok);
        e.put("file.create_new.existing", (long) Win32Facts.FILE_EXISTS);
        e.put("file.open.absent", (long) Win32Facts.NAME_ABSENT);
        e.put("file.open.no_directory", (long) Win32Facts.PATH_ABSENT);
        e.put("file.owner_only.get_security_info", ok);
        e.put("file.owner_only.owner_is_user", yes);
        e.put("file.owner_only.unix_mode_others", 0L);
        e.put("file.everyone_read.unix_mode_others", 4L);
        e.put("file.identity", ok);
        e.put("file.identity.same_for_every_handle", yes);
        e.put("file.section.create", ok);
        e.put("file.section_extends_the_file", yes);
        e.put("file.section.open_by_name", ok);
        e.put("file.open.existing", ok);
        e.put("file.section.create.existing", (long) Win32Facts.NAME_EXISTS);
        e.put("file.section.read_only_whole_file", ok);
        e.put("file.section.views_share_bytes", yes);
        // SecurityAttributes: the descriptor's owner and single ACE; the ACCESS_DENIED fallbacks
        e.put("security.create_with_descriptor", ok);
        e.put("security.open_with_granted_rights", ok);
        e.put("security.mutex.get_security_info", ok);
        e.put("security.mutex.dacl_aces", 1L);
        e.put("security.mutex.dacl_grants_only_the_user", yes);
        e.put("security.mutex.owner_is_user", yes);
        // WindowsProcesses
        e.put("process.times_of_self", ok);
        e.put("process.alive.exit_code", (long) Win32Facts.STILL_ACTIVE);
        e.put("process.terminated.exit_code", 9L);
        return e;
    }

    @Test
    void win32AnswersWhatTheBackendExpects() {
        Map<String, Long> actual = new LinkedHashMap<>();
        Map<String, Long> wanted = expected();
        wanted.keySet().forEach(k -> actual.put(k, facts.get(k)));
        assertThat(actual).as("replayed facts (null: not printed)").isEqualTo(wanted);
    }

    @Test
    void whereWineDiffersFromWindowsItGivesOneOfTheTwoKnownAnswers() {
        WINE_DIFFERS.forEach((fact, answers) -> assertThat(facts.get(fact)).as(fact).isIn(answers));
        WINE_DIFFERS.forEach((fact, answers) -> System.out.println(fact + " = " + facts.get(fact)
                + (facts.get(fact).equals(answers.get(0)) ? " (as on Windows)" : " (Wine's answer; Windows gives "
                + answers.get(0) + ")")));
    }

    @Test
    void deletingAMappedFileEitherWorksOrFailsWithACodeTheBackendExplains() {
        long deleted = facts.get("file.delete_while_a_view_is_mapped");
        if (deleted == 0) {
            assertThat(facts).doesNotContainKey("file.delete_after_unmap");
        } else {
            assertThat(Win32Facts.DELETE_REFUSED_IN_USE).contains((int) deleted);
            assertThat(facts.get("file.delete_after_unmap")).isZero();
        }
    }

    @Test
    void everyPrintedFactIsChecked() {
        Set<String> unchecked = new TreeSet<>(facts.keySet());
        unchecked.removeAll(expected().keySet());
        unchecked.removeAll(WINE_DIFFERS.keySet());
        unchecked.removeAll(INFORMATIONAL);
        unchecked.removeAll(Set.of("file.delete_while_a_view_is_mapped", "file.delete_after_unmap"));
        assertThat(unchecked).as("facts the replay prints that no test checks").isEmpty();
    }
}
