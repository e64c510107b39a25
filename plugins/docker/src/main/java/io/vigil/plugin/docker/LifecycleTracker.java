package io.vigil.plugin.docker;

import io.vigil.api.Event;
import io.vigil.api.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Turns the engine's container events into one Vigil event per thing that happened to a
 * container, with a severity that says whether anyone planned it.
 *
 * <p>Docker reports one user action as several events, and the original monitor alerted on each:
 * <ul>
 * <li>{@code docker stop} is {@code kill} (the stop signal), maybe {@code kill} (SIGKILL after the
 *     grace period), {@code die}, {@code stop}: one {@code docker.container.stopped}.</li>
 * <li>{@code docker kill} is {@code kill}, {@code die}: one {@code docker.container.killed}.</li>
 * <li>{@code docker restart} is the stop sequence, then {@code start}, {@code restart}:
 *     {@code docker.container.stopped} and one {@code docker.container.restarted}.</li>
 * <li>an out-of-memory kill is {@code oom}, {@code die}: one {@code docker.container.oom}.</li>
 * <li>a restart policy restart is {@code die}, {@code start} with no {@code stop}:
 *     {@code docker.container.died} and {@code docker.container.restarted}; the
 *     {@code restart_loop_count}th such restart within {@code restart_loop_window} is one
 *     {@code docker.container.restart_loop} instead, after which the cycles are counted, not
 *     reported, until the loop has been quiet for the window.</li>
 * </ul>
 * A {@code die} is planned when a terminating signal was requested ({@code kill} event) within
 * {@code stop_correlation_window} before it; planned stops are low, unplanned ones high, and
 * critical for database containers. Windows are measured on the engine's event times, so replayed
 * events correlate as they did live.
 *
 * <p>Whether a planned {@code die} was a stop or a kill is only known from the event after it,
 * and whether a {@code start} soon after a stop is part of {@code docker restart} from the
 * {@code restart} that follows it. Such an outcome is pending until that next event, or for at
 * most {@link #SETTLE} (then {@link #tick()} reports what is known); everything else is emitted at
 * once.
 *
 * <p>Not thread-safe: the monitor calls it under its lock.
 */
final class LifecycleTracker {

    /** How long a pending outcome waits for the event that settles it. */
    static final Duration SETTLE = Duration.ofSeconds(1);
    /** A start this soon after a user stop waits for Docker's {@code restart} event. */
    static final Duration RESTART_HOLD = Duration.ofSeconds(10);

    private static final long NONE = Long.MIN_VALUE;
    private static final String[] SIGNALS = {"", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
        "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM",
        "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};
    /**
     * Signals sent to reload, rotate logs or control a process rather than to end it. Any other
     * requested signal counts as a stop request: images choose their own STOPSIGNAL (SIGINT for
     * PostgreSQL, SIGQUIT for nginx, SIGWINCH for httpd), and docker-java does not report it.
     */
    private static final Set<String> NOT_STOPPING = Set.of("SIGHUP", "SIGUSR1", "SIGUSR2", "SIGCONT", "SIGSTOP",
            "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGCHLD", "SIGURG", "SIGPIPE", "SIGALRM", "SIGPROF", "SIGIO", "SIGVTALRM");

    private enum Wait { DIE_AFTER_KILL, OOM, START_AFTER_STOP }

    private record Pending(Wait kind, EngineEvent origin, long deadline, boolean live, List<String> signals) {
    }

    private static final class Track {
        ContainerFacts facts;
        long killNano = NONE;
        final List<String> killSignals = new ArrayList<>();
        long oomNano = NONE;
        Pending pending;
        boolean awaitingStart;
        boolean lastDieUnplanned;
        long lastDieNano = NONE;
        Integer lastExit;
        String lastDieCause = "";
        long stopNano = NONE;
        final Deque<Long> crashes = new ArrayDeque<>();
        boolean loop;
        long loopSinceNano;
        int loopRestarts;
        long lastCrashMonotonic;
        final List<Integer> loopExitCodes = new ArrayList<>();
    }

    private final String engine;
    private final long correlationNanos;
    private final int loopCount;
    private final Duration loopWindow;
    private final Consumer<Event> sink;
    private final LongSupplier monotonicNanos;
    private final Map<String, Track> tracks = new HashMap<>();

    /**
     * @param engine         names the engine in fingerprints (the host for a local socket)
     * @param monotonicNanos {@link System#nanoTime()} outside tests
     */
    LifecycleTracker(String engine, Duration stopCorrelationWindow, int restartLoopCount, Duration restartLoopWindow,
                     Consumer<Event> sink, LongSupplier monotonicNanos) {
        this.engine = engine;
        this.correlationNanos = stopCorrelationWindow.toNanos();
        this.loopCount = restartLoopCount;
        this.loopWindow = restartLoopWindow;
        this.sink = sink;
        this.monotonicNanos = monotonicNanos;
    }

    /**
     * Handles one event of a followed container.
     *
     * @param live false while replaying events that were already reported before a restart: the
     *             state is rebuilt, nothing is emitted
     */
    void onEvent(EngineEvent e, ContainerFacts facts, boolean live) {
        Track t = tracks.computeIfAbsent(e.containerId(), id -> new Track());
        t.facts = facts;
        switch (e.baseAction()) {
            case "create" -> {
                settle(t);
                emit(t, "docker.container.created", Severity.INFO, "created from " + facts.image(), e, live,
                        "lifecycle", Map.of());
            }
            case "start" -> onStart(t, e, live);
            case "restart" -> {
                if (t.pending != null && t.pending.kind == Wait.START_AFTER_STOP) {
                    Pending p = t.pending;
                    t.pending = null;
                    emit(t, "docker.container.restarted", Severity.LOW, "was restarted", e, p.live, "state",
                            attrs("cause", "restart", "planned", true));
                }
                // otherwise its start was already reported
            }
            case "kill" -> {
                String signal = signalName(e.attributes().get("signal"));
                if (!signal.isEmpty() && !NOT_STOPPING.contains(signal)) {
                    t.killNano = e.timeNano();
                    t.killSignals.add(signal);
                }
            }
            case "oom" -> {
                t.oomNano = e.timeNano();
                if (t.pending == null) {
                    t.pending = new Pending(Wait.OOM, e, monotonicNanos.getAsLong() + SETTLE.toNanos(), live, List.of());
                }
            }
            case "die" -> onDie(t, e, live);
            case "stop" -> {
                if (t.pending != null && t.pending.kind == Wait.DIE_AFTER_KILL) {
                    Pending p = t.pending;
                    t.pending = null;
                    emit(t, "docker.container.stopped", Severity.LOW, "was stopped" + exitText(p.origin), e, p.live,
                            "state", stopAttributes(p.origin, p.signals));
                } else if (!(t.awaitingStart && t.lastDieNano != NONE && e.timeNano() - t.lastDieNano <= correlationNanos)) {
                    settle(t);
                    emit(t, "docker.container.stopped", Severity.LOW, "was stopped", e, live, "state",
                            attrs("planned", true));
                }
                t.stopNano = e.timeNano();
                if (t.loop) {
                    endLoop(t, "stopped", live, e.timeNano());
                }
            }
            case "pause" -> emit(t, "docker.container.paused", Severity.INFO, "was paused", e, live, "pause", Map.of());
            case "unpause" -> emit(t, "docker.container.unpaused", Severity.INFO, "was unpaused", e, live, "pause", Map.of());
            case "destroy" -> {
                settle(t);
                if (t.loop) {
                    endLoop(t, "destroyed", live, e.timeNano());
                }
                emit(t, "docker.container.destroyed", facts.database().database() ? Severity.LOW : Severity.INFO,
                        "was removed", e, live, "lifecycle", Map.of());
                tracks.remove(e.containerId());
            }
            case "health_status" -> {
                String status = e.actionDetail();
                Severity severity = status.equals("unhealthy") ? raised(Severity.MEDIUM, facts) : Severity.INFO;
                emit(t, "docker.container.health_status", severity, "is " + status, e, live, "health",
                        attrs("status", status));
            }
            default -> {
                // other container actions (attach, exec_*, rename, update…) are not lifecycle changes
            }
        }
    }

    private void onStart(Track t, EngineEvent e, boolean live) {
        settle(t);
        boolean afterDie = t.awaitingStart;
        t.awaitingStart = false;
        if (afterDie && t.lastDieUnplanned) {
            // back after an unplanned exit: by the restart policy or by someone starting it again
            t.crashes.addLast(t.lastDieNano);
            while (!t.crashes.isEmpty() && t.crashes.peekFirst() < e.timeNano() - loopWindow.toNanos()) {
                t.crashes.removeFirst();
            }
            if (t.loop) {
                t.loopRestarts++;
            } else if (t.crashes.size() >= loopCount) {
                t.loop = true;
                t.loopSinceNano = t.crashes.peekFirst();
                t.loopRestarts = t.crashes.size();
                emit(t, "docker.container.restart_loop", Severity.CRITICAL,
                        "is in a restart loop: " + t.crashes.size() + " restarts after unplanned exits within "
                                + human(loopWindow), e, live, "restart_loop",
                        attrs("restarts", t.crashes.size(), "window_seconds", loopWindow.toSeconds(),
                                "exit_codes", List.copyOf(t.loopExitCodes), "last_exit_code", t.lastExit,
                                "first_exit_at", Instant.ofEpochSecond(0, t.loopSinceNano).toString()));
            } else {
                emit(t, "docker.container.restarted", Severity.LOW, "was restarted after " + t.lastDieCause, e, live,
                        "state", attrs("cause", t.lastDieCause, "planned", false, "previous_exit_code", t.lastExit,
                                "restarts_in_window", t.crashes.size()));
            }
        } else if (afterDie && t.stopNano != NONE && e.timeNano() - t.stopNano <= RESTART_HOLD.toNanos()) {
            t.pending = new Pending(Wait.START_AFTER_STOP, e, monotonicNanos.getAsLong() + SETTLE.toNanos(), live, List.of());
        } else {
            emit(t, "docker.container.started", Severity.INFO, "started", e, live, "state", Map.of());
        }
    }

    private void onDie(Track t, EngineEvent e, boolean live) {
        boolean oomPending = t.pending != null && t.pending.kind == Wait.OOM;
        if (oomPending) {
            t.pending = null;
        }
        settle(t);
        Integer exit = e.exitCode();
        boolean oom = t.oomNano != NONE && e.timeNano() - t.oomNano <= correlationNanos;
        boolean planned = !oom && t.killNano != NONE && e.timeNano() - t.killNano <= correlationNanos;
        List<String> signals = planned ? List.copyOf(t.killSignals) : List.of();
        t.killNano = NONE;
        t.killSignals.clear();
        t.oomNano = NONE;
        t.awaitingStart = true;
        t.lastDieNano = e.timeNano();
        t.lastExit = exit;
        t.lastDieUnplanned = !planned;
        t.lastDieCause = oom ? "oom" : exit != null && exit != 0 ? "crash" : "exit";
        if (planned) {
            t.pending = new Pending(Wait.DIE_AFTER_KILL, e, monotonicNanos.getAsLong() + SETTLE.toNanos(), live, signals);
            return;
        }
        t.lastCrashMonotonic = monotonicNanos.getAsLong();
        if (t.loopExitCodes.size() >= 10) {
            t.loopExitCodes.remove(0);
        }
        t.loopExitCodes.add(exit);
        if (t.loop) {
            return; // one restart_loop event stands for the whole episode
        }
        if (oom) {
            emit(t, "docker.container.oom", raised(Severity.HIGH, t.facts), "was killed: out of memory" + exitText(e),
                    e, live, "state", attrs("exit_code", exit, "planned", false, "container_stopped", true));
        } else if (exit == null || exit != 0) {
            emit(t, "docker.container.died", raised(Severity.HIGH, t.facts), "died unexpectedly" + exitText(e), e, live,
                    "state", attrs("exit_code", exit, "planned", false));
        } else {
            emit(t, "docker.container.died", raised(Severity.LOW, t.facts), "exited on its own" + exitText(e), e, live,
                    "state", attrs("exit_code", exit, "planned", false));
        }
    }

    /** Reports pending outcomes whose settling event did not come in time, and ends quiet loops. */
    void tick() {
        long now = monotonicNanos.getAsLong();
        for (Track t : tracks.values()) {
            if (t.pending != null && now - t.pending.deadline >= 0) {
                settle(t);
            }
            if (t.loop && now - t.lastCrashMonotonic >= loopWindow.toNanos()) {
                endLoop(t, "quiet", true, t.lastDieNano + loopWindow.toNanos());
            }
        }
    }

    /** Keys of the events whose outcome has not been reported yet (see {@link EventCursor}). */
    Set<String> pendingKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (Track t : tracks.values()) {
            if (t.pending != null && t.pending.live) {
                keys.add(t.pending.origin.key());
            }
        }
        return keys;
    }

    /** Whether any outcome is still waiting for its settling event. */
    boolean hasPending() {
        return tracks.values().stream().anyMatch(t -> t.pending != null);
    }

    /** Reports what a pending outcome is known to be now that no settling event came. */
    private void settle(Track t) {
        Pending p = t.pending;
        if (p == null) {
            return;
        }
        t.pending = null;
        switch (p.kind) {
            case DIE_AFTER_KILL -> emit(t, "docker.container.killed", Severity.LOW,
                    "was killed with " + (p.signals.isEmpty() ? "a signal" : p.signals.get(p.signals.size() - 1))
                            + exitText(p.origin), p.origin, p.live, "state", stopAttributes(p.origin, p.signals));
            case OOM -> emit(t, "docker.container.oom", raised(Severity.MEDIUM, t.facts),
                    "had a process killed: out of memory", p.origin, p.live, "oom",
                    attrs("planned", false, "container_stopped", false));
            case START_AFTER_STOP -> emit(t, "docker.container.started", Severity.INFO, "started", p.origin, p.live,
                    "state", Map.of());
            default -> throw new AssertionError(p.kind);
        }
    }

    private void endLoop(Track t, String reason, boolean live, long atNano) {
        t.loop = false;
        Map<String, Object> a = attrs("restarts", t.loopRestarts, "reason", reason,
                "first_exit_at", Instant.ofEpochSecond(0, t.loopSinceNano).toString(),
                "last_exit_code", t.lastExit);
        t.crashes.clear();
        t.loopExitCodes.clear();
        String why = switch (reason) {
            case "quiet" -> "no unplanned exit for " + human(loopWindow);
            case "stopped" -> "stopped";
            default -> "removed";
        };
        EngineEvent at = new EngineEvent(t.facts.id(), "restart_loop_ended", atNano, Map.of());
        emit(t, "docker.container.restart_loop_ended", Severity.INFO,
                "restart loop ended after " + t.loopRestarts + " restarts (" + why + ")", at, live, "restart_loop", a);
    }

    private static Map<String, Object> stopAttributes(EngineEvent die, List<String> signals) {
        return attrs("exit_code", die.exitCode(), "planned", true,
                "signal", signals.isEmpty() ? null : signals.get(signals.size() - 1), "signals", signals);
    }

    private void emit(Track t, String type, Severity severity, String what, EngineEvent e, boolean live, String topic,
                      Map<String, Object> extra) {
        if (!live) {
            return;
        }
        ContainerFacts f = t.facts;
        Event.Builder b = Event.builder(type)
                .severity(severity)
                .time(e.time())
                .subject(f.name())
                .title((f.database().database() ? "database container " : "container ") + f.name() + " " + what)
                .fingerprint("docker:" + engine + ":" + f.name() + ":" + topic)
                .attribute("container_id", f.id())
                .attribute("container", f.name())
                .attribute("image", f.image())
                .attribute("database", f.database().database());
        if (f.database().database()) {
            b.attribute("database_kind", f.database().kind()).attribute("database_reasons", f.database().reasons());
        }
        String project = f.labels().get("com.docker.compose.project");
        if (project != null) {
            b.attribute("compose_project", project);
            b.attribute("compose_service", f.labels().getOrDefault("com.docker.compose.service", ""));
        }
        extra.forEach(b::attribute);
        b.attribute("engine_time_nano", e.timeNano());
        sink.accept(b.build());
    }

    /** Unplanned trouble with a database container is one step more severe. */
    static Severity raised(Severity base, ContainerFacts facts) {
        if (!facts.database().database() || base == Severity.CRITICAL) {
            return base;
        }
        return Severity.values()[base.ordinal() + 1];
    }

    /** {@code SIGTERM} for {@code "15"} or {@code "TERM"}; the text itself when unknown. */
    static String signalName(String signal) {
        if (signal == null || signal.isBlank()) {
            return "";
        }
        String s = signal.trim().toUpperCase(java.util.Locale.ROOT);
        if (s.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(s);
            return n > 0 && n < SIGNALS.length ? SIGNALS[n] : "SIG" + n;
        }
        return s.startsWith("SIG") ? s : "SIG" + s;
    }

    private static String exitText(EngineEvent die) {
        Integer code = die.exitCode();
        return code == null ? "" : " (exit code " + code + ")";
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    private static Map<String, Object> attrs(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
