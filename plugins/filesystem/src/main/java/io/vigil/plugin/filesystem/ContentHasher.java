package io.vigil.plugin.filesystem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a file's content. One instance reuses its digest and buffer, so it is used by one
 * thread (the monitor's) only.
 */
final class ContentHasher {

    private final MessageDigest sha;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

    ContentHasher() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The hex SHA-256 of the content; a symlink is refused rather than followed. */
    String sha256(Path file) throws IOException {
        sha.reset();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            buffer.clear();
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                sha.update(buffer);
                buffer.clear();
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
