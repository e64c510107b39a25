package io.vigil.embeddedpg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What /proc says about a process that is not necessarily our child, such as a postmaster orphaned
 * by a JVM that was killed with SIGKILL.
 */
record LinuxProcess(long pid) {

    /**
     * True while the process exists and is not a zombie. ProcessHandle.isAlive() is not enough: an
     * orphan whose new parent does not reap it stays in the process table as a zombie.
     */
    boolean isRunning() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            // The state follows the command name, which is in parentheses and may itself contain ") ".
            int close = stat.lastIndexOf(')');
            char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** argv of the process; empty if it is gone. */
    List<String> commandLine() {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            String s = new String(raw, StandardCharsets.UTF_8);
            if (s.endsWith("\0")) {
                s = s.substring(0, s.length() - 1);
            }
            return s.isEmpty() ? List.of() : Arrays.asList(s.split("\0", -1));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The real uid from /proc/&lt;pid&gt;/status. */
    Optional<Integer> uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Uid:")) {
                    return Optional.of(Integer.parseInt(line.substring(4).trim().split("\\s+")[0]));
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
