package io.shmstore.internal.platform.windows;

import com.sun.jna.platform.win32.AccCtrl;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.Win32Exception;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.PointerByReference;
import io.shmstore.UntrustedOwnerException;
import io.shmstore.internal.platform.Names;
import io.shmstore.internal.platform.ObjectSpec;

/**
 * The owner check of the Windows backend, its counterpart of the POSIX {@code fstat} check: an existing
 * section, file, mutex or event is used only when the owner in its security descriptor is this
 * process's user, Administrators or SYSTEM (the owner of an elevated process's objects, and accounts
 * that can take any object anyway), or an account the caller trusts ({@link ObjectSpec#trustedOwners()}).
 * Anything else is {@link UntrustedOwnerException}: on a shared path or in a shared session, another
 * user could have created the name first.
 *
 * <p>The owner is read with {@code GetSecurityInfo}, which needs {@code READ_CONTROL} on the handle:
 * every open of an existing object in this backend asks for it, the creating account's all-access
 * entry grants it, and so does the generic read right that a widened DACL gives Everyone ({@link
 * SecurityAttributes}). Objects this backend creates name their creating account as owner explicitly,
 * so the check does not depend on the token's default owner (Administrators for an elevated
 * administrator; none at all under Wine, whose replay showed it). No Windows machine runs the tests of
 * this project, so this check has run only as its C replay under Wine.
 */
final class WindowsOwners {
    private WindowsOwners() {
    }

    /** The SID of {@code user}, an account name or a SID string ({@code S-1-...}); null when unknown. */
    static byte[] sidOf(String user) {
        try {
            return user.startsWith("S-1-") ? Advapi32Util.convertStringSidToSid(user)
                    : Advapi32Util.getAccountByName(user).sid;
        } catch (Win32Exception unknown) {
            return null;
        }
    }

    /**
     * Returns {@code h}, a named kernel object (section, mutex, event) this call did not create, once its
     * owner is trusted; closes it when it is not, or when the owner cannot be read.
     */
    static WinNT.HANDLE checkExisting(WinNT.HANDLE h, ObjectSpec spec) {
        try {
            check(h, AccCtrl.SE_OBJECT_TYPE.SE_KERNEL_OBJECT, spec);
            return h;
        } catch (RuntimeException refused) {
            Win32.close(h);
            throw refused;
        }
    }

    /** Checks the owner of the file behind a file-backed mapping this call did not create; the caller closes it. */
    static void checkFile(WinNT.HANDLE h, ObjectSpec spec) {
        check(h, AccCtrl.SE_OBJECT_TYPE.SE_FILE_OBJECT, spec);
    }

    private static void check(WinNT.HANDLE h, int objectType, ObjectSpec spec) {
        PointerByReference owner = new PointerByReference();
        PointerByReference descriptor = new PointerByReference();
        int code = Advapi32.INSTANCE.GetSecurityInfo(h, objectType, WinNT.OWNER_SECURITY_INFORMATION, owner, null,
                null, null, descriptor);
        if (code != 0) {
            throw Win32Errors.forObject(code, spec, "cannot read the owner of");
        }
        try {
            WinNT.PSID sid = new WinNT.PSID(owner.getValue());
            if (!trusted(sid, spec)) {
                String who = account(sid);
                throw new UntrustedOwnerException(WindowsBackend.describe(spec) + " belongs to " + who + ", not to "
                        + Advapi32Util.getUserName() + ", the user of this process, nor to Administrators or SYSTEM:"
                        + " another user may have created it first, to read what this process writes or to feed it"
                        + " forged data; if you trust " + who + ", allow it with trustOwner(" + Names.quote(who) + ")");
            }
        } finally {
            Kernel32.INSTANCE.LocalFree(descriptor.getValue());
        }
    }

    private static boolean trusted(WinNT.PSID owner, ObjectSpec spec) {
        Advapi32 api = Advapi32.INSTANCE;
        if (api.EqualSid(owner, new WinNT.PSID(SecurityAttributes.userSid(spec)))
                || api.IsWellKnownSid(owner, WinNT.WELL_KNOWN_SID_TYPE.WinBuiltinAdministratorsSid)
                || api.IsWellKnownSid(owner, WinNT.WELL_KNOWN_SID_TYPE.WinLocalSystemSid)) {
            return true;
        }
        for (String user : spec.trustedOwners()) {
            byte[] sid = sidOf(user);
            if (sid != null && api.EqualSid(owner, new WinNT.PSID(sid))) {
                return true;
            }
        }
        return false;
    }

    /** {@code DOMAIN\name}, or the SID string of an account that cannot be looked up. */
    private static String account(WinNT.PSID sid) {
        try {
            return Advapi32Util.getAccountBySid(sid).fqn;
        } catch (Win32Exception unknown) {
            return Advapi32Util.convertSidToStringSid(sid);
        }
    }
}
