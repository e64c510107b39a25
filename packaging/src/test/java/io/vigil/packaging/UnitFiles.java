package io.vigil.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks a systemd unit installed under a root directory: with {@code systemd-analyze verify}
 * (the real parser: unknown keys, bad values, a missing ExecStart binary), plus a few rules of our
 * own that systemd cannot know (the user, the exit status of a SIGTERM, a stop timeout covering
 * the drain).
 */
final class UnitFiles {

    private UnitFiles() {
    }

    /**
     * {@code systemd-analyze --root=ROOT verify UNIT}: systemd reads the unit as it would on the
     * target system, resolving ExecStart inside the root. The root gets copies of the host's
     * targets and slices, which every unit depends on implicitly.
     *
     * @return what systemd-analyze printed on stderr (warnings included); empty when all is well
     */
    static String systemdAnalyzeVerify(Path root, String unit) throws IOException, InterruptedException {
        if (!Shell.has("systemd-analyze")) {
            throw new AssertionError("systemd-analyze is not installed: the unit files are checked with it "
                    + "(Debian package systemd; .ci/services/packaging.sh installs it)");
        }
        Path units = Files.createDirectories(root.resolve("lib/systemd/system"));
        try (Stream<Path> host = Files.list(Path.of("/lib/systemd/system"))) {
            for (Path p : host.toList()) {
                String name = p.getFileName().toString();
                if ((name.endsWith(".target") || name.endsWith(".slice")) && Files.isRegularFile(p)
                        && !Files.exists(units.resolve(name))) {
                    Files.copy(p, units.resolve(name));
                }
            }
        }
        Shell.Result result = Shell.run("systemd-analyze", "--root=" + root, "verify", unit);
        if (result.exit() != 0) {
            return "exit " + result.exit() + ": " + result.err() + result.out();
        }
        return result.err() + result.out();
    }

    /** The unit's keys, section by section, in file order; a repeated key keeps its last value. */
    static Map<String, Map<String, String>> parse(Path unitFile) throws IOException {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        int n = 0;
        for (String line : Files.readAllLines(unitFile)) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) {
                continue;
            }
            if (t.startsWith("[") && t.endsWith("]")) {
                current = sections.computeIfAbsent(t.substring(1, t.length() - 1), k -> new LinkedHashMap<>());
                continue;
            }
            int eq = t.indexOf('=');
            if (current == null || eq <= 0) {
                throw new AssertionError(unitFile + ":" + n + ": not a key=value line inside a section: " + line);
            }
            current.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
        }
        return sections;
    }

    /**
     * Our own rules for a Vigil service unit; the problems found, empty when it is fine.
     *
     * @param root       where ExecStart's program must exist
     * @param stateDir   the directory it must be allowed to write
     */
    static List<String> checkVigilService(Path root, Path unitFile, String stateDir) throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, String>> unit = parse(unitFile);
        if (!unit.keySet().equals(Set.of("Unit", "Service", "Install"))) {
            problems.add("sections " + unit.keySet() + ", expected Unit, Service, Install");
            return problems;
        }
        Map<String, String> service = unit.get("Service");
        String exec = service.getOrDefault("ExecStart", "");
        String program = exec.split(" ")[0];
        if (!program.startsWith("/") || !Files.isExecutable(root.resolve(program.substring(1)))) {
            problems.add("ExecStart program " + program + " is not an executable file under " + root);
        }
        expect(problems, service, "User", "vigil");
        expect(problems, service, "Group", "vigil");
        expect(problems, service, "SuccessExitStatus", "143");
        expect(problems, service, "Restart", "on-failure");
        expect(problems, service, "NoNewPrivileges", "yes");
        expect(problems, service, "ProtectSystem", "strict");
        expect(problems, service, "ProtectHome", "yes");
        expect(problems, service, "PrivateTmp", "yes");
        expect(problems, service, "ReadWritePaths", stateDir);
        expect(problems, service, "WorkingDirectory", stateDir);
        expect(problems, service, "TimeoutStopSec", "30s");
        if (!service.containsKey("LimitNOFILE") || !service.containsKey("RestartSec")) {
            problems.add("LimitNOFILE and RestartSec must be set");
        }
        expect(problems, unit.get("Install"), "WantedBy", "multi-user.target");
        return problems;
    }

    private static void expect(List<String> problems, Map<String, String> section, String key, String value) {
        if (!value.equals(section.get(key))) {
            problems.add(key + "=" + section.get(key) + ", expected " + value);
        }
    }
}
