package io.vigil.plugin.filesystem;

import java.time.Instant;
import java.util.Objects;

/**
 * What the baseline remembers about one path: enough to tell a real change from a touch, and to
 * recognise the same file under another name.
 *
 * @param kind       what the path is
 * @param size       size in bytes
 * @param mtimeNanos modification time, nanoseconds since the epoch
 * @param ctimeNanos status-change time: the kernel sets it on every write, chmod or rename and
 *                   nobody can set it back, so an unchanged ctime lets a rescan reuse the hash
 * @param mode       permission bits including setuid, setgid and sticky ({@code 04755}); -1 unknown
 * @param owner      owner name (or uid when the name is unknown)
 * @param group      group name (or gid)
 * @param sha256     content hash in hex; {@code null} when not hashed (size limit, no_hash, not a file)
 * @param inode      inode number, 0 when unknown
 * @param device     device number, 0 when unknown
 * @param linkTarget a symlink's target text, else {@code null}
 * @param unreadable why the content or attributes could not be read, else {@code null}
 */
record FileRecord(FileKind kind, long size, long mtimeNanos, long ctimeNanos, int mode, String owner,
                  String group, String sha256, long inode, long device, String linkTarget, String unreadable) {

    FileRecord {
        Objects.requireNonNull(kind, "kind");
    }

    /** A path whose attributes could not be read at all. */
    static FileRecord unknown(String reason) {
        return new FileRecord(FileKind.UNKNOWN, 0, 0, 0, -1, null, null, null, 0, 0, null, reason);
    }

    FileRecord withUnreadable(String reason) {
        return new FileRecord(kind, size, mtimeNanos, ctimeNanos, mode, owner, group, null, inode, device,
                linkTarget, reason);
    }

    FileRecord withHash(String hash) {
        return new FileRecord(kind, size, mtimeNanos, ctimeNanos, mode, owner, group, hash, inode, device,
                linkTarget, unreadable);
    }

    boolean isUnreadable() {
        return unreadable != null;
    }

    boolean hasStat() {
        return kind != FileKind.UNKNOWN;
    }

    /**
     * Whether the content is the same. Hashes decide when both sides have one; otherwise size and
     * mtime stand in for the content, so an unhashed file that is only touched counts as changed.
     */
    boolean sameContent(FileRecord other) {
        if (kind != other.kind) {
            return false;
        }
        return switch (kind) {
            case FILE -> sha256 != null && other.sha256 != null
                    ? sha256.equals(other.sha256) && size == other.size
                    : size == other.size && mtimeNanos == other.mtimeNanos;
            case SYMLINK -> Objects.equals(linkTarget, other.linkTarget);
            default -> true;
        };
    }

    /** Whether mode, owner and group are the same (only meaningful when both sides have them). */
    boolean sameMetadata(FileRecord other) {
        return mode == other.mode && Objects.equals(owner, other.owner) && Objects.equals(group, other.group);
    }

    /**
     * Whether the inode looks untouched since this record was made: then its content is too, and
     * a rescan can reuse the hash instead of reading the file again.
     */
    boolean sameStat(FileRecord other) {
        return kind == other.kind && size == other.size && mtimeNanos == other.mtimeNanos
                && ctimeNanos == other.ctimeNanos && inode == other.inode && device == other.device;
    }

    /** Whether both records are the same inode on the same device. */
    boolean sameInode(FileRecord other) {
        return inode != 0 && inode == other.inode && device == other.device;
    }

    /** The mode as four octal digits, as {@code ls} and {@code chmod} write it. */
    String modeOctal() {
        return mode < 0 ? null : String.format("%04o", mode);
    }

    Instant mtime() {
        return Instant.ofEpochSecond(0, mtimeNanos);
    }
}
