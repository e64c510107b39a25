package io.vigil.embeddedpg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The operating-system user that initdb, postgres and pg_ctl run as.
 *
 * <p>PostgreSQL refuses to run as root, so when the JVM's effective uid is 0 the commands are
 * wrapped in {@code setpriv} to drop to an unprivileged user ({@code nobody} unless the system
 * property {@value #USER_PROPERTY} names another). Otherwise they run as the JVM's own user.
 */
final class ProcessUser {

    static final String USER_PROPERTY = "vigil.embedded-postgres.user";
    private static final String DEFAULT_USER = "nobody";
    private static final Path PASSWD = Path.of("/etc/passwd");

    private final String name;
    private final int uid;
    private final int gid;
    /** Null when no privilege drop is needed. */
    private final Path setpriv;

    private ProcessUser(String name, int uid, int gid, Path setpriv) {
        this.name = name;
        this.uid = uid;
        this.gid = gid;
        this.setpriv = setpriv;
    }

    /** Picks the user for the current JVM: itself, or an unprivileged one when running as root. */
    static ProcessUser forCurrentProcess() throws IOException {
        int euid = effectiveUid();
        if (euid != 0) {
            String self = System.getProperty("user.name", "uid " + euid);
            return new ProcessUser(self, euid, (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid"), null);
        }
        String wanted = System.getProperty(USER_PROPERTY, DEFAULT_USER);
        PasswdEntry entry = PasswdEntry.lookup(wanted).orElseThrow(() -> new IOException(
                "user '" + wanted + "' not found in " + PASSWD + ": PostgreSQL cannot run as root, so it needs an"
                        + " unprivileged user; create one or set -D" + USER_PROPERTY + "=<existing user>"));
        if (entry.uid == 0) {
            throw new IOException("user '" + wanted + "' has uid 0: PostgreSQL refuses to run as root; set -D"
                    + USER_PROPERTY + " to an unprivileged user");
        }
        return new ProcessUser(wanted, entry.uid, entry.gid, findSetpriv());
    }

    /** The effective uid: /proc/self belongs to it, which is cheaper than spawning {@code id -u}. */
    static int effectiveUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    String name() {
        return name;
    }

    int uid() {
        return uid;
    }

    boolean dropsPrivileges() {
        return setpriv != null;
    }

    /**
     * Prefixes a command so that it runs as this user.
     *
     * <p>setpriv rather than runuser/su: setpriv takes numeric ids, needs no PAM session, no login
     * shell and no valid home directory (nobody's is /nonexistent), and it exec()s the target in
     * place. That last point matters: the pid of the process we spawn is the postmaster itself, so
     * the pid in postmaster.pid, the JVM's Process handle and the signals we send all agree.
     * runuser keeps a parent process around for its PAM session. {@code --clear-groups} stops the
     * child inheriting root's supplementary groups.
     */
    List<String> wrap(List<String> command) {
        if (setpriv == null) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(setpriv.toString(), "--reuid=" + uid, "--regid=" + gid,
                "--clear-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Creates {@code dir} if needed and makes it owned by this user with mode 0700. */
    void ownPrivateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (dropsPrivileges()) {
            Files.setAttribute(dir, "unix:uid", uid);
            Files.setAttribute(dir, "unix:gid", gid);
        }
        Files.setAttribute(dir, "unix:mode", 0700);
    }

    /** Owner uid of a path, for the checks that PostgreSQL would otherwise fail on less clearly. */
    static int ownerOf(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid");
    }

    /**
     * Fails unless this user can search {@code dir} and every directory above it.
     *
     * <p>Checked up front because the alternative is initdb dying with "could not change directory"
     * or "Permission denied" on some path the user never chose (typically /root, mode 0700 on Debian).
     * Only the mode bits are considered (ACLs are not); groups are limited to the primary group because
     * setpriv clears the supplementary ones.
     */
    void requireSearchable(Path dir) throws IOException {
        if (!dropsPrivileges()) {
            return;
        }
        for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (!Files.exists(p)) {
                continue;
            }
            int mode = (Integer) Files.getAttribute(p, "unix:mode");
            int owner = (Integer) Files.getAttribute(p, "unix:uid");
            int group = (Integer) Files.getAttribute(p, "unix:gid");
            int searchBit = owner == uid ? 0100 : group == gid ? 0010 : 0001;
            if ((mode & searchBit) == 0) {
                throw new IOException(String.format(
                        "directory %s (mode %03o, owner uid %d) cannot be entered by user '%s' (uid %d), which"
                                + " PostgreSQL runs as because the JVM runs as root: choose a base directory outside"
                                + " it (the default is under java.io.tmpdir) or run 'chmod o+x %s'",
                        p, mode & 07777, owner, name, uid, p));
            }
        }
    }

    private static Path findSetpriv() throws IOException {
        List<Path> candidates = new ArrayList<>();
        String pathVar = System.getenv("PATH");
        if (pathVar != null) {
            for (String d : pathVar.split(":")) {
                if (!d.isEmpty()) {
                    candidates.add(Path.of(d, "setpriv"));
                }
            }
        }
        // PATH in service managers and containers is often minimal, so also look where util-linux installs it.
        candidates.add(Path.of("/usr/bin/setpriv"));
        candidates.add(Path.of("/bin/setpriv"));
        for (Path c : candidates) {
            if (Files.isRegularFile(c) && Files.isExecutable(c)) {
                return c;
            }
        }
        throw new IOException("setpriv not found: the JVM runs as root and PostgreSQL refuses to, so it must drop to"
                + " an unprivileged user with setpriv; install util-linux (apt-get install util-linux) or run as a"
                + " non-root user");
    }

    /** One line of /etc/passwd; only what the privilege drop needs. */
    private record PasswdEntry(int uid, int gid) {

        static Optional<PasswdEntry> lookup(String user) throws IOException {
            for (String line : Files.readAllLines(PASSWD)) {
                String[] f = line.split(":", -1);
                if (f.length >= 4 && f[0].equals(user)) {
                    try {
                        return Optional.of(new PasswdEntry(Integer.parseInt(f[2]), Integer.parseInt(f[3])));
                    } catch (NumberFormatException e) {
                        throw new IOException("malformed entry for '" + user + "' in " + PASSWD + ": " + line, e);
                    }
                }
            }
            return Optional.empty();
        }
    }
}
