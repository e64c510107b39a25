package io.vigil.plugin.filesystem;

/** What a path is, as far as integrity checking cares; each kind is compared differently. */
enum FileKind {
    /** A regular file: compared by content hash, or by size and mtime when not hashed. */
    FILE('f', "file"),
    /** A directory: only its mode and ownership matter, its size and mtime follow its children. */
    DIRECTORY('d', "directory"),
    /** A symbolic link: never followed, compared by its target text. */
    SYMLINK('l', "symlink"),
    /** A FIFO, socket or device: never opened (a FIFO would block), compared by metadata only. */
    OTHER('o', "other"),
    /** Not even its attributes could be read. */
    UNKNOWN('u', "unknown");

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;

    private final char code;
    private final String label;

    FileKind(char code, String label) {
        this.code = code;
        this.label = label;
    }

    /** One letter, as stored in the baseline. */
    char code() {
        return code;
    }

    /** The word used in event attributes ({@code file_type}). */
    String label() {
        return label;
    }

    /** The kind encoded in the type bits of a {@code st_mode}. */
    static FileKind ofMode(int mode) {
        return switch (mode & S_IFMT) {
            case S_IFREG -> FILE;
            case S_IFDIR -> DIRECTORY;
            case S_IFLNK -> SYMLINK;
            default -> OTHER;
        };
    }

    static FileKind ofCode(char code) {
        for (FileKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown file kind code " + code);
    }
}
