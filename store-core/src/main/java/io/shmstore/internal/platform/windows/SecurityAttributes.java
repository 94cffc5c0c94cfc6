package io.shmstore.internal.platform.windows;

import com.sun.jna.Structure;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.IntByReference;
import io.shmstore.StoreException;
import io.shmstore.internal.platform.ObjectSpec;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The {@code SECURITY_ATTRIBUTES} an object is created with, from its POSIX-style permissions.
 *
 * <p>Every object gets an explicit descriptor, owner-only ones included: never the creator's default
 * DACL, and for files never the ACL inherited from the parent directory (which, in a shared folder,
 * may let other users in). The descriptor names the creating user's account (the token's user SID)
 * as owner and carries a protected DACL (no inherited entries) whose first ACE gives that account all
 * access. Owner-only permissions stop there. Any group or others read or write adds a second ACE:
 * Everyone ({@code S-1-1-0}) gets read, or read and write. Windows has no POSIX group in this sense
 * (the primary group a descriptor may name takes no part in access checks), so group and others both
 * map to Everyone. Execute bits grant nothing here: views are never mapped executable, and mutexes,
 * events and semaphores have no execute right. Everyone excludes anonymous logons, and a process of lower
 * integrity than the creator still cannot write (Windows' no-write-up label).
 *
 * <p><b>The owner is the account, elevated or not.</b> The default owner of an elevated
 * administrator's objects is the Administrators group, and its default DACL grants Administrators and
 * SYSTEM but not the same account's unelevated processes. Here both the owner and the one ACE are the
 * account's SID whatever the token's elevation, so an elevated and an unelevated process of one user
 * share objects as two processes of one POSIX user do, and the owner check ({@link WindowsOwners})
 * accepts them; UAC elevation is not a boundary between them (Microsoft does not treat it as a security
 * boundary either). Administrators and SYSTEM get no ACE: like root on POSIX, they reach the object
 * through privileges (taking ownership, backup), not through its DACL.
 *
 * <p>The descriptor is built from primitives ({@code InitializeSecurityDescriptor}, {@code
 * InitializeAcl}, {@code AddAccessAllowedAce}, {@code SetSecurityDescriptorOwner}, {@code
 * SetSecurityDescriptorDacl}, {@code SetSecurityDescriptorControl}): jna-platform has no binding for
 * {@code ConvertStringSecurityDescriptorToSecurityDescriptor}, which would take SDDL. It is an absolute
 * descriptor, which points at the ACL and the owner SID, while the ACL holds copies of the SIDs; all
 * of that memory is JNA's and is freed when unreachable, so a caller keeps this object reachable
 * ({@code Reference.reachabilityFence}) until its {@code Create*} call has returned, and nothing here
 * is freed by hand. Failure to build it throws: never a silent fallback to the default.
 *
 * <p>{@code store-core/src/test/win32/replay.c} builds the same owner-only descriptor and checks under Wine that
 * a kernel object created with it reads back with that owner and that single ACE, and that a file
 * created with it gets no access for others.
 *
 * <p>Nothing here binds a native library while the class loads; the constants are compile-time ones.
 */
final class SecurityAttributes {
    /** Per object type, the rights each ACE grants. */
    enum Kind {
        /**
         * Generic rights are mapped to the type's own by the kernel when it assigns the descriptor.
         * Sections cannot be waited on, so they need no {@code SYNCHRONIZE}.
         */
        SECTION(WinNT.SECTION_ALL_ACCESS, WinNT.GENERIC_READ, WinNT.GENERIC_READ | WinNT.GENERIC_WRITE),
        /** A file's generic read and write already include {@code SYNCHRONIZE}. */
        FILE(WinNT.FILE_ALL_ACCESS, WinNT.GENERIC_READ, WinNT.GENERIC_READ | WinNT.GENERIC_WRITE),
        /**
         * Waiting needs {@code SYNCHRONIZE}, and waiting is locking: a mutex has no read-only use, so
         * read lets others lock it too ({@code MUTEX_MODIFY_STATE} is {@code MUTANT_QUERY_STATE}, which
         * generic read includes).
         */
        MUTEX(WinBase.MUTEX_ALL_ACCESS, WinNT.GENERIC_READ | WinNT.SYNCHRONIZE,
                WinNT.GENERIC_READ | WinNT.GENERIC_WRITE | WinNT.SYNCHRONIZE | WinBase.MUTEX_MODIFY_STATE),
        /** Read lets others wait on the event; write lets them signal and reset it. */
        EVENT(WinNT.EVENT_ALL_ACCESS, WinNT.GENERIC_READ | WinNT.SYNCHRONIZE,
                WinNT.GENERIC_READ | WinNT.GENERIC_WRITE | WinNT.SYNCHRONIZE | WinNT.EVENT_MODIFY_STATE),
        /**
         * The section beside a mutex that records its owner ({@link WindowsMutex}): whoever may lock
         * the mutex writes it, so read gives the same rights as write.
         */
        MUTEX_STATE(WinNT.SECTION_ALL_ACCESS, WinNT.GENERIC_READ | WinNT.GENERIC_WRITE,
                WinNT.GENERIC_READ | WinNT.GENERIC_WRITE),
        /**
         * Waiting takes a permit, so, as for a mutex, a semaphore has no read-only use: a process that may
         * wait must also release what it took, so read grants waiting, querying and releasing alike.
         */
        SEMAPHORE(WindowsSemaphore.ALL_ACCESS, WinNT.GENERIC_READ | WindowsSemaphore.USE_ACCESS,
                WinNT.GENERIC_READ | WinNT.GENERIC_WRITE | WindowsSemaphore.USE_ACCESS);

        final int owner;
        final int read;
        final int write;

        Kind(int owner, int read, int write) {
            this.owner = owner;
            this.read = read;
            this.write = write;
        }
    }

    /** {@code sizeof(ACL)}: the header before the first ACE. */
    private static final int ACL_HEADER_BYTES = 8;
    /** {@code sizeof(ACCESS_ALLOWED_ACE)} without its {@code SidStart}: the ACE header and the mask. */
    private static final int ACE_BYTES_BEFORE_SID = 8;
    /** At least {@code SECURITY_DESCRIPTOR_MIN_LENGTH} (20 bytes on 32-bit Windows, 40 on 64-bit). */
    private static final int DESCRIPTOR_BYTES = 64;

    /** The process token's user SID: it cannot change during the process's life. */
    private static volatile byte[] userSid;

    private final WinBase.SECURITY_ATTRIBUTES attributes;
    /** Never read: held so that their memory, which {@code attributes} points into, stays allocated. */
    private final WinNT.SECURITY_DESCRIPTOR descriptor;
    private final WinNT.ACL acl;
    private final WinNT.PSID owner;

    private SecurityAttributes(WinBase.SECURITY_ATTRIBUTES attributes, WinNT.SECURITY_DESCRIPTOR descriptor,
                               WinNT.ACL acl, WinNT.PSID owner) {
        this.attributes = attributes;
        this.descriptor = descriptor;
        this.acl = acl;
        this.owner = owner;
    }

    /**
     * The attributes for creating the object {@code spec} describes as {@code kind}.
     *
     * @throws StoreException naming the object and the permissions, when a Win32 call fails
     */
    static SecurityAttributes of(ObjectSpec spec, Kind kind) {
        Set<PosixFilePermission> perms = spec.permissions();
        boolean write = perms.contains(PosixFilePermission.GROUP_WRITE)
                || perms.contains(PosixFilePermission.OTHERS_WRITE);
        boolean read = write || perms.contains(PosixFilePermission.GROUP_READ)
                || perms.contains(PosixFilePermission.OTHERS_READ);
        return build(spec, kind.owner, write ? kind.write : read ? kind.read : 0);
    }

    /** The attributes to pass to {@code Create*}; never {@code null}. */
    WinBase.SECURITY_ATTRIBUTES attributes() {
        return attributes;
    }

    /** @param everyoneMask the rights of Everyone, 0 for none (owner-only) */
    private static SecurityAttributes build(ObjectSpec spec, int ownerMask, int everyoneMask) {
        Advapi32 api = Advapi32.INSTANCE;
        WinNT.PSID user = new WinNT.PSID(userSid(spec));
        opaque(user);
        WinNT.PSID everyone = everyoneMask == 0 ? null : everyone(spec);

        int aclBytes = ACL_HEADER_BYTES + ACE_BYTES_BEFORE_SID + api.GetLengthSid(user)
                + (everyone == null ? 0 : ACE_BYTES_BEFORE_SID + api.GetLengthSid(everyone));
        aclBytes = (aclBytes + 3) & ~3; // an ACL's size must be DWORD-aligned
        WinNT.ACL acl = new WinNT.ACL(aclBytes);
        opaque(acl);
        if (!api.InitializeAcl(acl, aclBytes, WinNT.ACL_REVISION)) {
            throw failure(spec, "InitializeAcl");
        }
        if (!api.AddAccessAllowedAce(acl, WinNT.ACL_REVISION, ownerMask, user)) {
            throw failure(spec, "AddAccessAllowedAce for the current user");
        }
        if (everyone != null && !api.AddAccessAllowedAce(acl, WinNT.ACL_REVISION, everyoneMask, everyone)) {
            throw failure(spec, "AddAccessAllowedAce for Everyone");
        }

        WinNT.SECURITY_DESCRIPTOR descriptor = new WinNT.SECURITY_DESCRIPTOR(DESCRIPTOR_BYTES);
        opaque(descriptor);
        if (!api.InitializeSecurityDescriptor(descriptor, WinNT.SECURITY_DESCRIPTOR_REVISION)) {
            throw failure(spec, "InitializeSecurityDescriptor");
        }
        if (!api.SetSecurityDescriptorOwner(descriptor, user, false)) {
            throw failure(spec, "SetSecurityDescriptorOwner");
        }
        if (!api.SetSecurityDescriptorDacl(descriptor, true, acl, false)) {
            throw failure(spec, "SetSecurityDescriptorDacl");
        }
        // protected: a file's DACL takes nothing from its directory's inheritable entries
        if (!api.SetSecurityDescriptorControl(descriptor, (short) WinNT.SE_DACL_PROTECTED,
                (short) WinNT.SE_DACL_PROTECTED)) {
            throw failure(spec, "SetSecurityDescriptorControl(SE_DACL_PROTECTED)");
        }

        WinBase.SECURITY_ATTRIBUTES attributes = new WinBase.SECURITY_ATTRIBUTES();
        attributes.lpSecurityDescriptor = descriptor.getPointer();
        attributes.bInheritHandle = false;
        return new SecurityAttributes(attributes, descriptor, acl, user);
    }

    /**
     * Stops JNA copying the Java-side fields over a structure before each call and back after: the
     * descriptor, the ACL and the SIDs are opaque, written by Win32 alone, and their Java mirrors
     * would be stale or partial (an ACL's fields cover only its header, a SID's only its first bytes).
     */
    private static void opaque(Structure s) {
        s.setAutoSynch(false);
    }

    /** Everyone, {@code S-1-1-0}. */
    private static WinNT.PSID everyone(ObjectSpec spec) {
        WinNT.PSID sid = new WinNT.PSID(WinNT.SECURITY_MAX_SID_SIZE);
        opaque(sid);
        IntByReference size = new IntByReference(WinNT.SECURITY_MAX_SID_SIZE);
        if (!Advapi32.INSTANCE.CreateWellKnownSid(WinNT.WELL_KNOWN_SID_TYPE.WinWorldSid, null, sid, size)) {
            throw failure(spec, "CreateWellKnownSid(WinWorldSid)");
        }
        return sid;
    }

    /**
     * The SID of the user this process runs as, read from its token. Not through {@code
     * Advapi32Util.getTokenAccount}, which also looks the account's name up, a call that can be slow
     * or fail on a domain member that cannot reach its domain controller.
     */
    static byte[] userSid(ObjectSpec spec) {
        byte[] sid = userSid;
        if (sid != null) {
            return sid;
        }
        WinNT.HANDLEByReference tokenRef = new WinNT.HANDLEByReference();
        if (!Advapi32.INSTANCE.OpenProcessToken(Kernel32.INSTANCE.GetCurrentProcess(), WinNT.TOKEN_QUERY, tokenRef)) {
            throw failure(spec, "OpenProcessToken");
        }
        WinNT.HANDLE token = tokenRef.getValue();
        try {
            IntByReference length = new IntByReference();
            if (Advapi32.INSTANCE.GetTokenInformation(token, WinNT.TOKEN_INFORMATION_CLASS.TokenUser, null, 0, length)
                    || Win32.lastError() != WinError.ERROR_INSUFFICIENT_BUFFER) {
                throw failure(spec, "GetTokenInformation(TokenUser) for its size");
            }
            WinNT.TOKEN_USER info = new WinNT.TOKEN_USER(length.getValue());
            if (!Advapi32.INSTANCE.GetTokenInformation(token, WinNT.TOKEN_INFORMATION_CLASS.TokenUser, info,
                    length.getValue(), length)) {
                throw failure(spec, "GetTokenInformation(TokenUser)");
            }
            // the SID lies inside info's memory: copy it out, so that nothing refers to that memory
            WinNT.PSID inToken = info.User.Sid;
            sid = inToken.getPointer().getByteArray(0, Advapi32.INSTANCE.GetLengthSid(inToken));
        } finally {
            Win32.close(token);
        }
        userSid = sid;
        return sid;
    }

    /** The last Win32 error of {@code call}, about the object and the permissions it was to get. */
    private static StoreException failure(ObjectSpec spec, String call) {
        int code = Win32.lastError();
        return new StoreException("cannot create " + WindowsBackend.describe(spec) + " with permissions "
                + PosixFilePermissions.toString(spec.permissions()) + ": building its security descriptor failed in "
                + call + ": " + Win32Errors.describe(code));
    }
}
