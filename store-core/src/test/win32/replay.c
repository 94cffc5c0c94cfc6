/*
 * The Win32 call sequences of ShmStore's Windows backend (store-core, package
 * io.shmstore.internal.platform.windows), replayed in C and run under Wine where no Windows JVM runs.
 *
 * Every line it prints is "FACT <name> <value>": what Win32 answered to one step of one backend
 * operation (an error code, a wait result, a count). Win32ReplayTest compares each with what the
 * backend's code expects (the constants in Win32Facts), so a change of the backend's error mapping
 * that Win32 does not support fails the build. Lines starting with "#" are comments.
 *
 *   replay.exe all <dir>                   every in-process scenario; <dir> holds the files it makes
 *   replay.exe hold-mutex <name>           takes the mutex, prints HELD, sleeps (killed by run.sh)
 *   replay.exe await-abandoned <name>      prints WAITING, waits for the mutex, prints the result
 *   replay.exe race <name> <go-event>      a racer of the createOrOpen race (started by "all")
 *   replay.exe read-committed <name>       reads the reserve scenario's pages (started by "all")
 *
 * Build: x86_64-w64-mingw32-gcc -O1 -Wall -Werror -o replay.exe replay.c -ladvapi32
 */
#include <windows.h>
#include <aclapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KiB 1024ULL
#define MiB (1024ULL * KiB)
#define GiB (1024ULL * MiB)
#define RACERS 4
#ifndef EVENT_QUERY_STATE
#define EVENT_QUERY_STATE 0x0001
#endif

static wchar_t prefix[64];

static void fact(const char *name, long long value) {
    printf("FACT %s %lld\n", name, value);
    fflush(stdout);
}

static void note(const char *text) {
    printf("# %s\n", text);
    fflush(stdout);
}

/* Local\shmstore.<suffix>: the backend's kernel name of object <suffix>, unique to this run. */
static const wchar_t *kname(const wchar_t *suffix) {
    static wchar_t buf[8][160];
    static int next;
    wchar_t *b = buf[next++ % 8];
    swprintf(b, 160, L"Local\\shmstore.%ls%ls", prefix, suffix);
    return b;
}

static HANDLE section(const wchar_t *name, DWORD protect, unsigned long long size) {
    return CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, protect, (DWORD)(size >> 32), (DWORD)size, name);
}

static void *view(HANDLE s, DWORD access, unsigned long long offset, SIZE_T length) {
    return MapViewOfFile(s, access, (DWORD)(offset >> 32), (DWORD)offset, length);
}

/* The error of a Create* call that may succeed: 0, ERROR_ALREADY_EXISTS, or why it failed. */
static long long created(HANDLE h) {
    DWORD e = GetLastError();
    if (h == NULL || h == INVALID_HANDLE_VALUE) {
        return e;
    }
    return e == ERROR_ALREADY_EXISTS ? ERROR_ALREADY_EXISTS : 0;
}

static long long opened(HANDLE h) {
    return h == NULL || h == INVALID_HANDLE_VALUE ? (long long)GetLastError() : 0;
}

static void closeh(HANDLE h) {
    if (h != NULL && h != INVALID_HANDLE_VALUE) {
        CloseHandle(h);
    }
}

/* Sections.createNamed / openNamed, WindowsRegion.destroy: creation, create-or-open, lifetime. */
static void sections(void) {
    HANDLE a = section(kname(L"mem"), PAGE_READWRITE, 64 * KiB);
    fact("section.create.new", created(a));
    HANDLE b = section(kname(L"mem"), PAGE_READWRITE, 64 * KiB);
    fact("section.create.existing", created(b));
    volatile long long *va = view(a, FILE_MAP_READ | FILE_MAP_WRITE, 0, 64 * KiB);
    volatile long long *vb = view(b, FILE_MAP_READ | FILE_MAP_WRITE, 0, 64 * KiB);
    va[8] = 0x53484d53LL;
    fact("section.create.existing.same_object", vb[8] == 0x53484d53LL);
    fact("section.starts_zeroed", va[0] == 0 && va[100] == 0);
    UnmapViewOfFile((void *)va);
    UnmapViewOfFile((void *)vb);

    HANDLE absent = OpenFileMappingW(FILE_MAP_READ, FALSE, kname(L"absent"));
    fact("section.open.absent", opened(absent));

    /* destroy() of a memory-only mapping closes its handle: the name stays while another is open */
    closeh(a);
    HANDLE again = section(kname(L"mem"), PAGE_READWRITE, 64 * KiB);
    fact("section.create.while_another_handle_open", created(again));
    closeh(again);
    closeh(b);
    HANDLE gone = OpenFileMappingW(FILE_MAP_READ, FALSE, kname(L"mem"));
    fact("section.open.after_last_close", opened(gone));
    closeh(gone);
}

/* WindowsRegion.map: offsets rounded down to the allocation granularity; read-only views. */
static void views(void) {
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    fact("view.allocation_granularity", info.dwAllocationGranularity);
    HANDLE s = section(kname(L"views"), PAGE_READWRITE, 256 * KiB);
    void *unaligned = view(s, FILE_MAP_READ, 4096, 4096);
    fact("view.unaligned_offset", unaligned == NULL ? (long long)GetLastError() : 0);
    void *aligned = view(s, FILE_MAP_READ, info.dwAllocationGranularity, 4096);
    fact("view.aligned_offset", aligned == NULL ? (long long)GetLastError() : 0);
    if (aligned) UnmapViewOfFile(aligned);

    volatile char *rw = view(s, FILE_MAP_READ | FILE_MAP_WRITE, 0, 4096);
    rw[10] = 42;
    HANDLE ro = OpenFileMappingW(FILE_MAP_READ | READ_CONTROL, FALSE, kname(L"views"));
    fact("view.open_read_only", opened(ro));
    volatile char *rv = view(ro, FILE_MAP_READ, 0, 4096);
    fact("view.read_only.reads", rv != NULL && rv[10] == 42);
    fact("view.read_only.refuses_write", IsBadWritePtr((void *)rv, 1));
    void *w = view(ro, FILE_MAP_READ | FILE_MAP_WRITE, 0, 4096);
    fact("view.writable_of_read_only_handle", w == NULL ? (long long)GetLastError() : 0);
    UnmapViewOfFile((void *)rv);
    UnmapViewOfFile((void *)rw);
    /* a view keeps its section alive after the last handle closes (WindowsMapping) */
    volatile char *kept = view(s, FILE_MAP_READ | FILE_MAP_WRITE, 0, 4096);
    closeh(ro);
    closeh(s);
    kept[11] = 7;
    fact("view.outlives_its_handles", kept[10] == 42 && kept[11] == 7);
    UnmapViewOfFile((void *)kept);
}

/* Sizes above 4 GiB pass as two DWORDs; views above 4 GiB take a 64-bit offset. */
static void large(void) {
    unsigned long long size = 5 * GiB;
    HANDLE s = section(kname(L"large"), PAGE_READWRITE | SEC_RESERVE, size);
    fact("large.create_5gib_reserved", created(s));
    volatile long long *v = view(s, FILE_MAP_READ | FILE_MAP_WRITE, 4 * GiB + 64 * KiB, 64 * KiB);
    fact("large.view_above_4gib", v == NULL ? (long long)GetLastError() : 0);
    if (v) {
        void *c = VirtualAlloc((void *)v, 64 * KiB, MEM_COMMIT, PAGE_READWRITE);
        v[1] = 77;
        fact("large.commit_and_write_above_4gib", c != NULL && v[1] == 77);
        UnmapViewOfFile((void *)v);
    }
    closeh(s);
}

/* VirtualQuery's State of the page at p: MEM_COMMIT, MEM_RESERVE or MEM_FREE (Headers.awaitMagic) */
static long long page_state(void *p) {
    MEMORY_BASIC_INFORMATION info;
    return VirtualQuery(p, &info, sizeof info) == sizeof info ? (long long)info.State : -1;
}

/*
 * Sparse memory-only sections (Sections, SEC_RESERVE): nothing is committed at creation; a range is
 * committed through a view (VirtualAlloc MEM_COMMIT) before first use and is then backed in every
 * view and process; it cannot be decommitted while the section exists.
 */
static void reserve(const char *self) {
    HANDLE s = section(kname(L"sparse"), PAGE_READWRITE | SEC_RESERVE, 64 * MiB);
    fact("reserve.create", created(s));
    char *v = view(s, FILE_MAP_READ | FILE_MAP_WRITE, 0, 64 * MiB);
    fact("reserve.uncommitted_page_faults", IsBadReadPtr(v + 8 * MiB, 8));
    fact("reserve.query_uncommitted_state", page_state(v + 8 * MiB));
    void *c = VirtualAlloc(v + 8 * MiB, 128 * KiB, MEM_COMMIT, PAGE_READWRITE);
    fact("reserve.query_committed_state", page_state(v + 8 * MiB));
    fact("reserve.commit_in_view", c == NULL ? (long long)GetLastError() : 0);
    void *again = VirtualAlloc(v + 8 * MiB, 128 * KiB, MEM_COMMIT, PAGE_READWRITE);
    fact("reserve.commit_twice", again == NULL ? (long long)GetLastError() : 0);
    *(volatile long long *)(v + 8 * MiB + 64 * KiB) = 1234;
    char *other = view(s, FILE_MAP_READ, 8 * MiB, 128 * KiB);
    fact("reserve.committed_in_other_view", other != NULL && !IsBadReadPtr(other + 64 * KiB, 8)
            && *(volatile long long *)(other + 64 * KiB) == 1234);
    fact("reserve.decommit_in_view", VirtualFree(v + 8 * MiB, 64 * KiB, MEM_DECOMMIT) ? 0 : (long long)GetLastError());
    UnmapViewOfFile(other);

    char cmd[512];
    snprintf(cmd, sizeof cmd, "\"%s\" read-committed %ls", self, kname(L"sparse"));
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    DWORD code = 999;
    if (CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        WaitForSingleObject(pi.hProcess, 60000);
        GetExitCodeProcess(pi.hProcess, &code);
        closeh(pi.hProcess);
        closeh(pi.hThread);
    }
    /* the child's exit code: bit 0, the committed page reads 1234 there; bit 1, an uncommitted one faults;
       bit 2, VirtualQuery says the committed page is committed there */
    fact("reserve.other_process.reads_committed", code < 8 && (code & 1));
    fact("reserve.other_process.uncommitted_faults", code < 8 && (code & 2) != 0);
    fact("reserve.other_process.query_committed", code < 8 && (code & 4) != 0);
    UnmapViewOfFile(v);
    closeh(s);
}

static int read_committed(const wchar_t *name) {
    HANDLE s = OpenFileMappingW(FILE_MAP_READ, FALSE, name);
    char *v = s ? view(s, FILE_MAP_READ, 0, 64 * MiB) : NULL;
    if (v == NULL) {
        return 100;
    }
    int ok = !IsBadReadPtr(v + 8 * MiB + 64 * KiB, 8) && *(volatile long long *)(v + 8 * MiB + 64 * KiB) == 1234;
    int faults = IsBadReadPtr(v + 16 * MiB, 8);
    int queried = page_state(v + 8 * MiB + 64 * KiB) == MEM_COMMIT;
    return ok + 2 * faults + 4 * queried;
}

/* One namespace: what each Create/Open call answers on a name held by another type. */
static void namespace_clash(void) {
    HANDLE m = CreateMutexW(NULL, FALSE, kname(L"clash"));
    fact("clash.open_mapping_on_mutex", opened(OpenFileMappingW(FILE_MAP_READ, FALSE, kname(L"clash"))));
    fact("clash.create_mapping_on_mutex", created(section(kname(L"clash"), PAGE_READWRITE, 4096)));
    fact("clash.create_event_on_mutex", created(CreateEventW(NULL, FALSE, FALSE, kname(L"clash"))));
    fact("clash.open_event_on_mutex", opened(OpenEventW(SYNCHRONIZE, FALSE, kname(L"clash"))));
    HANDLE probe = OpenMutexW(SYNCHRONIZE, FALSE, kname(L"clash"));
    fact("clash.probe_open_mutex_on_mutex", opened(probe));
    closeh(probe);
    HANDLE e = CreateEventW(NULL, TRUE, FALSE, kname(L"clash-ev"));
    fact("clash.create_mutex_on_event", created(CreateMutexW(NULL, FALSE, kname(L"clash-ev"))));
    fact("clash.open_mapping_on_event", opened(OpenFileMappingW(FILE_MAP_READ, FALSE, kname(L"clash-ev"))));
    probe = OpenEventW(SYNCHRONIZE, FALSE, kname(L"clash-ev"));
    fact("clash.probe_open_event_on_event", opened(probe));
    closeh(probe);
    HANDLE s = section(kname(L"clash-mem"), PAGE_READWRITE, 4096);
    fact("clash.create_mutex_on_mapping", created(CreateMutexW(NULL, FALSE, kname(L"clash-mem"))));
    fact("clash.create_event_on_mapping", created(CreateEventW(NULL, FALSE, FALSE, kname(L"clash-mem"))));
    fact("clash.open_mutex_on_mapping", opened(OpenMutexW(SYNCHRONIZE, FALSE, kname(L"clash-mem"))));
    probe = OpenFileMappingW(FILE_MAP_READ, FALSE, kname(L"clash-mem"));
    fact("clash.probe_open_mapping_on_mapping", opened(probe));
    closeh(probe);
    closeh(s);
    closeh(e);
    closeh(m);
    /* helper objects are named with a "!", which ShmStore names cannot contain */
    HANDLE owner = section(L"Local\\shmstore!owner.replay", PAGE_READWRITE | SEC_COMMIT, 4096);
    fact("clash.helper_name_with_bang", created(owner));
    closeh(owner);
}

static DWORD WINAPI take_and_exit(LPVOID mutex) {
    return WaitForSingleObject((HANDLE)mutex, 5000);
}

/* args: the mutex, an event set once it is held, an event that ends the hold */
static DWORD WINAPI hold_until_done(LPVOID p) {
    HANDLE *args = p;
    DWORD r = WaitForSingleObject(args[0], 5000);
    SetEvent(args[1]);
    WaitForSingleObject(args[2], 30000);
    ReleaseMutex(args[0]);
    return r;
}

static DWORD WINAPI release_other(LPVOID mutex) {
    return ReleaseMutex((HANDLE)mutex) ? 0 : GetLastError();
}

/* WindowsMutex: recursion, release by a non-owner, a thread that exits holding it, time-outs. */
static void mutexes(void) {
    HANDLE m = CreateMutexW(NULL, FALSE, kname(L"mutex"));
    fact("mutex.create.new", created(m));
    HANDLE m2 = CreateMutexW(NULL, FALSE, kname(L"mutex"));
    fact("mutex.create.existing", created(m2));
    fact("mutex.wait.free", WaitForSingleObject(m, 0));
    fact("mutex.wait.recursive_by_owner", WaitForSingleObject(m2, 0));
    ReleaseMutex(m);
    HANDLE t = CreateThread(NULL, 0, release_other, m, 0, NULL);
    DWORD code = 0;
    WaitForSingleObject(t, 5000);
    GetExitCodeThread(t, &code);
    closeh(t);
    fact("mutex.release_by_other_thread", code);
    ReleaseMutex(m);
    fact("mutex.release_when_not_held", ReleaseMutex(m) ? 0 : (long long)GetLastError());

    t = CreateThread(NULL, 0, take_and_exit, m, 0, NULL);
    WaitForSingleObject(t, 5000);
    closeh(t);
    fact("mutex.wait.owner_thread_exited", WaitForSingleObject(m2, 1000));
    ReleaseMutex(m2);
    HANDLE held = CreateEventW(NULL, TRUE, FALSE, NULL);
    HANDLE done = CreateEventW(NULL, TRUE, FALSE, NULL);
    HANDLE args[3] = {m, held, done};
    t = CreateThread(NULL, 0, hold_until_done, args, 0, NULL);
    WaitForSingleObject(held, 5000);
    fact("mutex.wait.timeout", WaitForSingleObject(m2, 50));
    SetEvent(done);
    WaitForSingleObject(t, 5000);
    fact("mutex.wait.after_owner_released", WaitForSingleObject(m2, 1000));
    ReleaseMutex(m2);
    closeh(t);
    closeh(held);
    closeh(done);
    closeh(m2);
    closeh(m);
}

typedef LONG(NTAPI *NtQueryEventFn)(HANDLE, int, PVOID, ULONG, PULONG);

typedef struct {
    int EventType; /* 0 NotificationEvent (manual reset), 1 SynchronizationEvent (auto reset) */
    LONG EventState;
} EVENT_BASIC_INFORMATION;

static long long query_event(HANDLE h, long long *status) {
    static NtQueryEventFn query;
    if (!query) {
        query = (NtQueryEventFn)(void *)GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtQueryEvent");
    }
    EVENT_BASIC_INFORMATION info = {-1, 0};
    ULONG got = 0;
    *status = query ? (unsigned long)query(h, 0, &info, sizeof info, &got) : -1;
    return info.EventType;
}

/* WindowsEvent: the creator's mode wins and NtQueryEvent reads it; reset semantics. */
static void events(void) {
    long long status;
    HANDLE manual = CreateEventW(NULL, TRUE, FALSE, kname(L"ev-manual"));
    HANDLE asAuto = CreateEventW(NULL, FALSE, FALSE, kname(L"ev-manual"));
    fact("event.create.existing", created(asAuto));
    fact("event.query.type_of_manual_opened_as_auto", query_event(asAuto, &status));
    fact("event.query.status", status);
    HANDLE autoEv = CreateEventW(NULL, FALSE, FALSE, kname(L"ev-auto"));
    HANDLE asManual = CreateEventW(NULL, TRUE, FALSE, kname(L"ev-auto"));
    fact("event.query.type_of_auto_opened_as_manual", query_event(asManual, &status));
    HANDLE limited = OpenEventW(SYNCHRONIZE | EVENT_MODIFY_STATE, FALSE, kname(L"ev-auto"));
    query_event(limited, &status);
    fact("event.query.without_query_state", status);
    HANDLE queryable = OpenEventW(SYNCHRONIZE | EVENT_MODIFY_STATE | EVENT_QUERY_STATE, FALSE, kname(L"ev-auto"));
    query_event(queryable, &status);
    fact("event.query.with_query_state", status);

    SetEvent(autoEv);
    fact("event.auto.first_wait", WaitForSingleObject(asManual, 0));
    fact("event.auto.second_wait", WaitForSingleObject(asManual, 0));
    SetEvent(manual);
    fact("event.manual.first_wait", WaitForSingleObject(asAuto, 0));
    fact("event.manual.second_wait", WaitForSingleObject(manual, 0));
    ResetEvent(asAuto);
    fact("event.manual.after_reset", WaitForSingleObject(manual, 0));
    closeh(queryable);
    closeh(limited);
    closeh(asManual);
    closeh(autoEv);
    closeh(asAuto);
    closeh(manual);
}

typedef LONG(NTAPI *NtQuerySemaphoreFn)(HANDLE, int, PVOID, ULONG, PULONG);

/* NtQuerySemaphore's SemaphoreBasicInformation: {current, maximum}; -1 when the call fails. */
static long long query_semaphore(HANDLE h, long long *maximum) {
    static NtQuerySemaphoreFn query;
    if (!query) {
        query = (NtQuerySemaphoreFn)(void *)GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtQuerySemaphore");
    }
    LONG info[2] = {-1, -1};
    ULONG got = 0;
    LONG status = query ? query(h, 0, info, sizeof info, &got) : -1;
    *maximum = status == 0 ? info[1] : -1;
    return status == 0 ? info[0] : -1;
}

/* WindowsSemaphore: create-or-open, permits, the maximum, the namespace shared with the other kinds. */
static void semaphores(void) {
    long long max;
    HANDLE s = CreateSemaphoreW(NULL, 2, 3, kname(L"sem"));
    fact("semaphore.create.new", created(s));
    HANDLE s2 = CreateSemaphoreW(NULL, 0, 9, kname(L"sem"));
    fact("semaphore.create.existing", created(s2));
    fact("semaphore.query.count_of_existing", query_semaphore(s2, &max));
    fact("semaphore.query.max_of_existing", max);
    fact("semaphore.open.absent", opened(OpenSemaphoreW(SYNCHRONIZE, FALSE, kname(L"sem-absent"))));
    fact("semaphore.wait.first", WaitForSingleObject(s, 0));
    fact("semaphore.wait.second", WaitForSingleObject(s2, 0));
    fact("semaphore.wait.empty", WaitForSingleObject(s, 0));
    LONG previous = -1;
    fact("semaphore.release.two", ReleaseSemaphore(s, 2, &previous) ? 0 : (long long)GetLastError());
    fact("semaphore.release.previous_count", previous);
    fact("semaphore.release.beyond_max", ReleaseSemaphore(s, 2, NULL) ? 0 : (long long)GetLastError());
    fact("semaphore.query.count_after_refused_release", query_semaphore(s, &max));
    HANDLE m = CreateMutexW(NULL, FALSE, kname(L"sem-clash"));
    fact("clash.create_semaphore_on_mutex", created(CreateSemaphoreW(NULL, 1, 1, kname(L"sem-clash"))));
    fact("clash.open_semaphore_on_mutex", opened(OpenSemaphoreW(SYNCHRONIZE, FALSE, kname(L"sem-clash"))));
    fact("clash.create_mutex_on_semaphore", created(CreateMutexW(NULL, FALSE, kname(L"sem"))));
    fact("clash.open_mapping_on_semaphore", opened(OpenFileMappingW(FILE_MAP_READ, FALSE, kname(L"sem"))));
    HANDLE probe = OpenSemaphoreW(SYNCHRONIZE, FALSE, kname(L"sem"));
    fact("clash.probe_open_semaphore_on_semaphore", opened(probe));
    closeh(probe);
    closeh(m);
    closeh(s2);
    closeh(s);
    fact("semaphore.open.after_last_close", opened(OpenSemaphoreW(SYNCHRONIZE, FALSE, kname(L"sem"))));
}

/* Exactly one of several processes that race CreateFileMapping on one name is its creator. */
static void race(const char *self) {
    HANDLE go = CreateEventW(NULL, TRUE, FALSE, kname(L"race-go"));
    PROCESS_INFORMATION pi[RACERS];
    for (int i = 0; i < RACERS; i++) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "\"%s\" race %ls %ls", self, kname(L"race"), kname(L"race-go"));
        STARTUPINFOA si = {sizeof si};
        if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi[i])) {
            fact("race.start_failed", GetLastError());
            return;
        }
    }
    Sleep(500);
    SetEvent(go);
    int creators = 0, openers = 0;
    for (int i = 0; i < RACERS; i++) {
        DWORD code = 999;
        WaitForSingleObject(pi[i].hProcess, 60000);
        GetExitCodeProcess(pi[i].hProcess, &code);
        creators += code == 0;
        openers += code == ERROR_ALREADY_EXISTS;
        closeh(pi[i].hProcess);
        closeh(pi[i].hThread);
    }
    fact("race.creators", creators);
    fact("race.openers", openers);
    closeh(go);
}

static int racer(const wchar_t *name, const wchar_t *goName) {
    HANDLE go = OpenEventW(SYNCHRONIZE, FALSE, goName);
    WaitForSingleObject(go, 30000);
    HANDLE s = section(name, PAGE_READWRITE, 64 * KiB);
    int code = (int)created(s);
    /* stay until every racer has answered, so the name cannot vanish and be created twice */
    Sleep(2000);
    closeh(s);
    return code;
}

/*
 * The descriptor of SecurityAttributes: owned by the user, a protected DACL whose first ACE gives the
 * user `rights`; with `everyoneRights` non-zero ("rw-r--r--" and the like), a second ACE for Everyone.
 */
static PSECURITY_DESCRIPTOR descriptor(PSID user, DWORD rights, DWORD everyoneRights, PACL *acl) {
    static char everyone[SECURITY_MAX_SID_SIZE];
    DWORD size = sizeof everyone;
    CreateWellKnownSid(WinWorldSid, NULL, everyone, &size);
    DWORD aclBytes = sizeof(ACL) + 2 * sizeof(ACCESS_ALLOWED_ACE) + GetLengthSid(user) + GetLengthSid(everyone);
    *acl = calloc(1, aclBytes);
    PSECURITY_DESCRIPTOR sd = calloc(1, SECURITY_DESCRIPTOR_MIN_LENGTH);
    if (!InitializeAcl(*acl, aclBytes, ACL_REVISION) || !AddAccessAllowedAce(*acl, ACL_REVISION, rights, user)
            || (everyoneRights != 0 && !AddAccessAllowedAce(*acl, ACL_REVISION, everyoneRights, everyone))
            || !InitializeSecurityDescriptor(sd, SECURITY_DESCRIPTOR_REVISION)
            || !SetSecurityDescriptorOwner(sd, user, FALSE)
            || !SetSecurityDescriptorDacl(sd, TRUE, *acl, FALSE)
            || !SetSecurityDescriptorControl(sd, SE_DACL_PROTECTED, SE_DACL_PROTECTED)) {
        fact("security.build_descriptor_failed", GetLastError());
    }
    return sd;
}

static PSID token_user(void) {
    HANDLE token;
    static char buf[256];
    DWORD len;
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token);
    GetTokenInformation(token, TokenUser, buf, sizeof buf, &len);
    closeh(token);
    return ((TOKEN_USER *)buf)->User.Sid;
}

static void dacl_facts(const char *what, HANDLE h, SE_OBJECT_TYPE type, PSID user) {
    PACL dacl = NULL;
    PSID owner = NULL;
    PSECURITY_DESCRIPTOR sd = NULL;
    char name[96];
    DWORD r = GetSecurityInfo(h, type, DACL_SECURITY_INFORMATION | OWNER_SECURITY_INFORMATION, &owner, NULL,
                              &dacl, NULL, &sd);
    snprintf(name, sizeof name, "%s.get_security_info", what);
    fact(name, r);
    if (r != 0) {
        return;
    }
    int onlyUser = dacl != NULL;
    for (DWORD i = 0; dacl != NULL && i < dacl->AceCount; i++) {
        ACCESS_ALLOWED_ACE *ace;
        GetAce(dacl, i, (void **)&ace);
        onlyUser &= ace->Header.AceType == ACCESS_ALLOWED_ACE_TYPE && EqualSid((PSID)&ace->SidStart, user);
    }
    snprintf(name, sizeof name, "%s.dacl_aces", what);
    fact(name, dacl == NULL ? -1 : dacl->AceCount);
    snprintf(name, sizeof name, "%s.dacl_grants_only_the_user", what);
    fact(name, onlyUser);
    snprintf(name, sizeof name, "%s.owner_is_user", what);
    fact(name, owner != NULL && EqualSid(owner, user));
    LocalFree(sd);
}

/* Sections.createFile / openFile / initialiseFile and WindowsRegion.destroy for file-backed mappings. */
static void files(const wchar_t *dir) {
    wchar_t path[MAX_PATH], missing[MAX_PATH], nodir[MAX_PATH];
    swprintf(path, MAX_PATH, L"%ls\\owner-only.shm", dir);
    swprintf(missing, MAX_PATH, L"%ls\\missing.shm", dir);
    swprintf(nodir, MAX_PATH, L"%ls\\no-such-dir\\f.shm", dir);
    DWORD share = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
    PSID user = token_user();
    PACL acl;
    PSECURITY_DESCRIPTOR sd = descriptor(user, FILE_ALL_ACCESS, 0, &acl);
    SECURITY_ATTRIBUTES sa = {sizeof sa, sd, FALSE};

    HANDLE f = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, share, &sa, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
    fact("file.create_new", opened(f));
    HANDLE f2 = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, share, &sa, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
    fact("file.create_new.existing", opened(f2));
    fact("file.open.absent", opened(CreateFileW(missing, GENERIC_READ, share, NULL, OPEN_EXISTING, 0, NULL)));
    fact("file.open.no_directory", opened(CreateFileW(nodir, GENERIC_READ, share, NULL, OPEN_EXISTING, 0, NULL)));
    dacl_facts("file.owner_only", f, SE_FILE_OBJECT, user);

    /* the backend names a file's section after the file's identity, so others can OpenFileMapping it */
    BY_HANDLE_FILE_INFORMATION id;
    fact("file.identity", GetFileInformationByHandle(f, &id) ? 0 : (long long)GetLastError());
    unsigned long long total = 16 * KiB + 100 * KiB;
    HANDLE s = CreateFileMappingW(f, NULL, PAGE_READWRITE, (DWORD)(total >> 32), (DWORD)total, kname(L"file-sec"));
    fact("file.section.create", created(s));
    LARGE_INTEGER size;
    GetFileSizeEx(f, &size);
    fact("file.section_extends_the_file", size.QuadPart == (long long)total);
    HANDLE named = OpenFileMappingW(FILE_MAP_READ | FILE_MAP_WRITE, FALSE, kname(L"file-sec"));
    fact("file.section.open_by_name", opened(named));
    HANDLE other = CreateFileW(path, GENERIC_READ | GENERIC_WRITE | READ_CONTROL, share, NULL, OPEN_EXISTING, 0, NULL);
    fact("file.open.existing", opened(other));
    BY_HANDLE_FILE_INFORMATION id2;
    GetFileInformationByHandle(other, &id2);
    fact("file.identity.same_for_every_handle", id.dwVolumeSerialNumber == id2.dwVolumeSerialNumber
            && id.nFileIndexHigh == id2.nFileIndexHigh && id.nFileIndexLow == id2.nFileIndexLow);
    HANDLE s2 = CreateFileMappingW(other, NULL, PAGE_READWRITE, 0, 0, kname(L"file-sec"));
    fact("file.section.create.existing", created(s2));
    HANDLE ro = CreateFileMappingW(other, NULL, PAGE_READONLY, 0, 0, NULL);
    fact("file.section.read_only_whole_file", created(ro));
    volatile long long *v = view(s, FILE_MAP_READ | FILE_MAP_WRITE, 0, (SIZE_T)total);
    volatile long long *v2 = view(named, FILE_MAP_READ, 0, (SIZE_T)total);
    v[3000] = 99;
    fact("file.section.views_share_bytes", v2 != NULL && v2[3000] == 99);
    UnmapViewOfFile((void *)v2);
    closeh(ro);
    closeh(s2);
    closeh(named);
    closeh(other);
    closeh(s);
    closeh(f2);
    closeh(f);

    /* destroy() with a view still mapped: DeleteFile's answer differs between Windows versions */
    BOOL deleted = DeleteFileW(path);
    fact("file.delete_while_a_view_is_mapped", deleted ? 0 : (long long)GetLastError());
    UnmapViewOfFile((void *)v);
    if (!deleted) {
        fact("file.delete_after_unmap", DeleteFileW(path) ? 0 : (long long)GetLastError());
    }
    /* files left for run.sh to stat: Wine maps a new file's DACL to Unix mode bits */
    swprintf(path, MAX_PATH, L"%ls\\kept-owner-only.shm", dir);
    closeh(CreateFileW(path, GENERIC_READ | GENERIC_WRITE, share, &sa, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL));
    PACL wideAcl;
    PSECURITY_DESCRIPTOR wide = descriptor(user, FILE_ALL_ACCESS, GENERIC_READ, &wideAcl);
    SECURITY_ATTRIBUTES wsa = {sizeof wsa, wide, FALSE};
    swprintf(path, MAX_PATH, L"%ls\\kept-everyone-read.shm", dir);
    closeh(CreateFileW(path, GENERIC_READ | GENERIC_WRITE, share, &wsa, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL));
    free(wide);
    free(wideAcl);
    free(sd);
    free(acl);
}

/*
 * SecurityAttributes and the ERROR_ACCESS_DENIED fallbacks of WindowsMutex / WindowsEvent / Sections:
 * Create* on an existing name asks for all access; a DACL that grants less makes it fail, and Open*
 * with the rights granted succeeds. The owner check reads the owner with GetSecurityInfo.
 */
static void security(void) {
    PSID user = token_user();
    PACL acl;
    PSECURITY_DESCRIPTOR sd = descriptor(user, SYNCHRONIZE | MUTEX_MODIFY_STATE | READ_CONTROL, 0, &acl);
    SECURITY_ATTRIBUTES sa = {sizeof sa, sd, FALSE};
    HANDLE m = CreateMutexW(&sa, FALSE, kname(L"denied"));
    fact("security.create_with_descriptor", created(m));
    fact("security.create_existing_without_all_access", created(CreateMutexW(NULL, FALSE, kname(L"denied"))));
    HANDLE o = OpenMutexW(SYNCHRONIZE | MUTEX_MODIFY_STATE | READ_CONTROL, FALSE, kname(L"denied"));
    fact("security.open_with_granted_rights", opened(o));
    dacl_facts("security.mutex", o, SE_KERNEL_OBJECT, user);
    closeh(o);
    closeh(m);
    HANDLE plain = CreateMutexW(NULL, FALSE, kname(L"default-dacl"));
    PSID owner = NULL;
    PSECURITY_DESCRIPTOR got = NULL;
    /* the default owner, which the backend no longer relies on: Windows gives the user, or
       Administrators for an elevated administrator; Wine gives none */
    fact("security.default_owner.get_security_info",
         GetSecurityInfo(plain, SE_KERNEL_OBJECT, OWNER_SECURITY_INFORMATION, &owner, NULL, NULL, NULL, &got));
    fact("security.default_owner.is_user", owner != NULL && EqualSid(owner, user));
    fact("security.default_owner.is_administrators", owner != NULL
            && IsWellKnownSid(owner, WinBuiltinAdministratorsSid));
    LocalFree(got);
    closeh(plain);
    free(sd);
    free(acl);
}

/* WindowsProcesses: a live process's start time; an exited one's exit code. */
static void processes(const char *self) {
    FILETIME c, e, k, u;
    fact("process.times_of_self", GetProcessTimes(GetCurrentProcess(), &c, &e, &k, &u) ? 0 : (long long)GetLastError());
    char cmd[512];
    snprintf(cmd, sizeof cmd, "\"%s\" hold-mutex %ls", self, kname(L"proc"));
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        fact("process.start_failed", GetLastError());
        return;
    }
    HANDLE q = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pi.dwProcessId);
    DWORD code = 0;
    GetExitCodeProcess(q, &code);
    fact("process.alive.exit_code", code);
    TerminateProcess(pi.hProcess, 9);
    WaitForSingleObject(pi.hProcess, 10000);
    GetExitCodeProcess(q, &code);
    fact("process.terminated.exit_code", code);
    closeh(q);
    closeh(pi.hProcess);
    closeh(pi.hThread);
}

static int hold_mutex(const wchar_t *name) {
    HANDLE m = CreateMutexW(NULL, FALSE, name);
    if (WaitForSingleObject(m, 10000) != WAIT_OBJECT_0) {
        return 1;
    }
    printf("HELD\n");
    fflush(stdout);
    Sleep(120000);
    return 0;
}

static int await_abandoned(const wchar_t *name) {
    HANDLE m = OpenMutexW(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, name);
    if (m == NULL) {
        fact("mutex.cross_process.open", GetLastError());
        return 1;
    }
    fact("mutex.cross_process.wait_while_owner_lives", WaitForSingleObject(m, 200));
    printf("WAITING\n");
    fflush(stdout);
    DWORD start = GetTickCount();
    fact("mutex.cross_process.wait_after_owner_killed", WaitForSingleObject(m, 30000));
    fact("mutex.cross_process.wait_took_under_5s", GetTickCount() - start < 5000);
    ReleaseMutex(m);
    return 0;
}

static wchar_t *wide(const char *s) {
    size_t n = strlen(s) + 1;
    wchar_t *w = calloc(n, sizeof(wchar_t));
    MultiByteToWideChar(CP_UTF8, 0, s, -1, w, (int)n);
    return w;
}

int main(int argc, char **argv) {
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    if (argc >= 3 && strcmp(argv[1], "all") == 0) {
        swprintf(prefix, 64, L"replay%lu.", GetCurrentProcessId());
        note("Win32 facts the ShmStore Windows backend relies on");
        sections();
        views();
        large();
        reserve(self);
        namespace_clash();
        mutexes();
        events();
        semaphores();
        race(self);
        files(wide(argv[2]));
        security();
        processes(self);
        note("done");
        return 0;
    }
    if (argc >= 3 && strcmp(argv[1], "hold-mutex") == 0) {
        return hold_mutex(wide(argv[2]));
    }
    if (argc >= 3 && strcmp(argv[1], "await-abandoned") == 0) {
        return await_abandoned(wide(argv[2]));
    }
    if (argc >= 4 && strcmp(argv[1], "race") == 0) {
        return racer(wide(argv[2]), wide(argv[3]));
    }
    if (argc >= 3 && strcmp(argv[1], "read-committed") == 0) {
        return read_committed(wide(argv[2]));
    }
    fprintf(stderr, "usage: replay.exe all <dir> | hold-mutex <name> | await-abandoned <name>\n");
    return 2;
}
