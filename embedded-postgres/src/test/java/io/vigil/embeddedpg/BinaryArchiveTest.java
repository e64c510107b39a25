package io.vigil.embeddedpg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BinaryArchiveTest {

    private ScratchDirectory scratch;

    @BeforeEach
    void createScratchDirectory() throws Exception {
        scratch = new ScratchDirectory();
    }

    @AfterEach
    void delete() throws Exception {
        scratch.close();
    }

    @Test
    void extraction_keeps_executables_executable_and_recreates_symbolic_links() throws Exception {
        PostgresBinaries bin = BinaryArchive.install(scratch.path().resolve("cache"));

        assertEquals(scratch.path().resolve("cache").resolve(bin.version()), bin.home());
        for (Path exe : List.of(bin.initdb(), bin.postgres(), bin.pgCtl())) {
            assertEquals(0755, (Integer) Files.getAttribute(exe, "unix:mode") & 0777, exe.toString());
        }
        Path libpq = bin.home().resolve("lib/libpq.so.5");
        assertTrue(Files.isSymbolicLink(libpq), libpq + " is a symbolic link");
        assertTrue(Files.readSymbolicLink(libpq).toString().startsWith("libpq.so.5."), Files.readSymbolicLink(libpq).toString());
        assertEquals(0755, (Integer) Files.getAttribute(bin.home(), "unix:mode") & 0777, "home is enterable by others");

        Process version = new ProcessBuilder(bin.postgres().toString(), "--version").redirectErrorStream(true).start();
        String out = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(version.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, version.exitValue(), out);
        assertTrue(out.contains("PostgreSQL) " + bin.majorVersion() + "."), out);
    }

    @Test
    void a_second_install_reuses_the_extracted_copy() throws Exception {
        Path cache = scratch.path().resolve("cache");
        PostgresBinaries first = BinaryArchive.install(cache);
        Object inode = Files.getAttribute(first.postgres(), "unix:ino");

        PostgresBinaries second = BinaryArchive.install(cache);

        assertEquals(first, second);
        assertEquals(inode, Files.getAttribute(second.postgres(), "unix:ino"));
    }

    @Test
    void concurrent_installs_into_one_cache_agree_and_leave_no_temporary_directories() throws Exception {
        Path cache = scratch.path().resolve("cache");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Callable<PostgresBinaries>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(() -> BinaryArchive.install(cache));
            }
            Set<PostgresBinaries> results = new HashSet<>();
            for (Future<PostgresBinaries> f : pool.invokeAll(tasks)) {
                results.add(f.get());
            }
            assertEquals(1, results.size(), results.toString());
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> entries = Files.list(cache)) {
            assertEquals(List.of(BinaryArchive.bundledVersion()),
                    entries.map(p -> p.getFileName().toString()).toList());
        }
        assertTrue(Files.isExecutable(cache.resolve(BinaryArchive.bundledVersion()).resolve("bin/postgres")));
    }
}
