package io.vigil.embeddedpg;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file the postmaster's stdout and stderr are appended to, remembering where the current run
 * began so that error messages quote this run's lines and not an earlier run's.
 */
final class ServerLog {

    private static final int TAIL_LINES = 30;
    private static final int MAX_TAIL_BYTES = 64 * 1024;

    private final Path file;
    private final long startOffset;

    private ServerLog(Path file, long startOffset) {
        this.file = file;
        this.startOffset = startOffset;
    }

    /** Marks the current end of {@code file} as the start of a new run. */
    static ServerLog beginRun(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return new ServerLog(file, Files.exists(file) ? Files.size(file) : 0);
    }

    Path file() {
        return file;
    }

    /** The last lines written during this run, or a note saying why there are none. */
    String tail() {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long end = raf.length();
            long from = Math.max(startOffset, end - MAX_TAIL_BYTES);
            if (end <= from) {
                return "(server log " + file + " is empty for this run)";
            }
            byte[] buf = new byte[(int) (end - from)];
            raf.seek(from);
            raf.readFully(buf);
            return lastLines(new String(buf, StandardCharsets.UTF_8), TAIL_LINES);
        } catch (IOException e) {
            return "(cannot read server log " + file + ": " + e.getMessage() + ")";
        }
    }

    static String lastLines(String text, int lines) {
        String[] all = text.split("\n", -1);
        int end = all.length;
        if (end > 0 && all[end - 1].isEmpty()) {
            end--;
        }
        int start = Math.max(0, end - lines);
        StringBuilder sb = new StringBuilder();
        for (int i = start; i < end; i++) {
            sb.append("  | ").append(all[i]).append('\n');
        }
        return sb.toString();
    }
}
