package io.shmstore.internal.platform.windows;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT;
import io.shmstore.StoreNotFoundException;
import io.shmstore.internal.platform.Handover;
import io.shmstore.internal.platform.HandoverToken;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectHeader;
import io.shmstore.internal.platform.ObjectSpec;
import io.shmstore.internal.platform.Region;
import io.shmstore.internal.sync.ProcessProbe;
import io.shmstore.memory.Access;
import io.shmstore.memory.Lifetime;


/**
 * Handing unnamed sections to other processes, the way the model this library copies does it:
 * <ul>
 *   <li><b>Inheritance</b>: an inheritable duplicate of the section handle, with only the rights granted
 *       ({@code FILE_MAP_READ}, or with {@code FILE_MAP_WRITE}); the JDK starts children with {@code
 *       bInheritHandles}, so the child's handle table gets it under the same value, which the token
 *       carries. This process closes its duplicate once the child is started. Another thread of this
 *       process that starts a child at the same moment passes it on too.</li>
 *   <li><b>Duplication</b>: {@code DuplicateHandle} into the receiving process (opened with {@code
 *       PROCESS_DUP_HANDLE}, which a process of the same user grants), with only the rights granted; the
 *       handle lives there until that process closes it or exits, whatever this process does.</li>
 * </ul>
 * The rights travel with the handle: a read-only receiver cannot map the section for writing, whatever
 * it tries. The receiver checks the header behind the value it was given (object id and size against
 * the token) before it maps more, and leaves a value that is not the section alone.
 */
final class WindowsUnnamed {
    private final ProcessProbe processes;

    WindowsUnnamed(ProcessProbe processes) {
        this.processes = processes;
    }

    Handover handOver(Region region, Access access, long targetPid) {
        if (!(region instanceof WindowsRegion) || !((WindowsRegion) region).unnamed()) {
            throw new IllegalStateException(Names.quote(region.name()) + " is not an unnamed mapping");
        }
        WindowsRegion section = (WindowsRegion) region;
        int rights = Sections.viewFlags(access);
        WinNT.HANDLE self = Kernel32.INSTANCE.GetCurrentProcess();
        WinNT.HANDLE target = targetPid == 0 ? self : openForDuplication(targetPid, section.name());
        WinNT.HANDLEByReference copy = new WinNT.HANDLEByReference();
        try {
            boolean done = section.withSection(h -> Kernel32.INSTANCE.DuplicateHandle(self, h, target, copy, rights,
                    targetPid == 0, 0));
            if (!done) {
                throw Win32Errors.toException(Win32.lastError(), "cannot hand " + section.name() + " over to "
                        + (targetPid == 0 ? "a child" : "process " + targetPid));
            }
        } finally {
            if (targetPid != 0) {
                Win32.close(target);
            }
        }
        WinNT.HANDLE inheritable = targetPid == 0 ? copy.getValue() : null;
        String token = new HandoverToken(processes.selfPid(), processes.selfStartTag(),
                Pointer.nativeValue(copy.getValue().getPointer()), section.objectId(), section.size(), access,
                targetPid).format();
        // an inherited copy is the child's from its creation on: this process's goes once it is started
        return Handover.ownedByReceiver(token, () -> Win32.close(inheritable));
    }

    private static WinNT.HANDLE openForDuplication(long pid, String what) {
        WinNT.HANDLE process = Kernel32.INSTANCE.OpenProcess(WinNT.PROCESS_DUP_HANDLE, false, (int) pid);
        if (Win32.invalid(process)) {
            throw new IllegalArgumentException("cannot hand " + what + " over to process " + pid + ": "
                    + Win32Errors.describe(Win32.lastError()));
        }
        return process;
    }

    Region receive(HandoverToken token, Access access) {
        String what = ObjectSpec.unnamedName(token.objectId());
        WinNT.HANDLE h = new WinNT.HANDLE(Pointer.createConstant(token.descriptor()));
        Pointer view = Win32.mapView(h, WinBase.FILE_MAP_READ, 0, ObjectHeader.HEADER_LENGTH);
        if (view == null) {
            throw new StoreNotFoundException("cannot open " + what + ": handle " + token.descriptor() + " of this process"
                    + " is not a section handed over to it (" + Win32Errors.describe(Win32.lastError()) + ")");
        }
        ObjectSpec spec = ObjectSpec.unnamed(token.userSize());
        long id;
        long size;
        try {
            long a = Pointer.nativeValue(view);
            Headers.awaitAndCheck(a, spec, -1);
            id = ObjectHeader.objectId(a);
            size = ObjectHeader.userSize(a);
        } finally {
            Kernel32.INSTANCE.UnmapViewOfFile(view);
        }
        if (id != token.objectId() || size != token.userSize()) {
            throw new StoreNotFoundException("cannot open " + what + ": handle " + token.descriptor() + " of this process"
                    + " is another section (" + ObjectSpec.unnamedName(id) + " of " + size + " bytes)");
        }
        return new WindowsRegion(spec, h, access, false, size, Lifetime.UNTIL_LAST_CLOSE, id);
    }
}
