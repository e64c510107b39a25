package io.vigil.server.rule;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.vigil.server.configfile.ConfigNode;
import io.vigil.server.configfile.InvalidConfigException;
import io.vigil.server.configfile.Problem;
import io.vigil.server.configfile.Problems;
import io.vigil.server.configfile.WatchedFile;
import jakarta.inject.Named;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rules in force, from three places:
 * <ol>
 *   <li>the shipped defaults ({@code rules/default-rules.yml} on the class path), unless
 *       {@code vigil.alerting.default-rules} is false;</li>
 *   <li>the rules file {@code vigil.alerting.rules-file} (env {@code VIGIL_RULES_FILE}), whose rules
 *       replace defaults of the same id ({@code enabled: false} switches a default off);</li>
 *   <li>rules created through the API, stored in PostgreSQL, with ids of their own.</li>
 * </ol>
 * The file is validated at start-up (the server refuses to start with a bad file) and read again
 * when it changes; a change with any problem is refused as a whole, every problem is logged with
 * its file and line, and the previous rules stay in force.
 */
@Context
public class RuleCatalog {

    static final String DEFAULTS_RESOURCE = "rules/default-rules.yml";

    private static final Logger LOG = LoggerFactory.getLogger(RuleCatalog.class);

    private final @Nullable WatchedFile file;
    private final ApiRuleStore store;
    private final JsonMapper json;
    private final Clock clock;
    private final AtomicLong versions = new AtomicLong();

    private final List<RuleParser.Parsed> defaults;
    private volatile List<RuleParser.Parsed> fileRules = List.of();
    private volatile List<RuleParser.Parsed> apiRules = List.of();
    private volatile ApiRuleStore.@Nullable Revision apiRevision;
    private volatile RuleSet current;
    private volatile Status status;

    /**
     * The outcome of the last reading of the rules file.
     *
     * @param file     the file, {@code null} when none is configured
     * @param loadedAt when the rules in force were read from it
     * @param problems what was wrong with the latest version of the file (empty: it is in force)
     */
    public record Status(@Nullable String file, @Nullable Instant loadedAt, List<String> problems) {
    }

    RuleCatalog(@Nullable @Value("${vigil.alerting.rules-file:}") String rulesFile,
                @Value("${vigil.alerting.default-rules:true}") boolean useDefaults,
                ApiRuleStore store, JsonMapper json, @Named("alerting") Clock clock) {
        this.store = store;
        this.json = json;
        this.clock = clock;
        this.file = rulesFile == null || rulesFile.isBlank() ? null : new WatchedFile(Path.of(rulesFile.strip()));
        this.defaults = useDefaults ? readDefaults() : List.of();
        if (file != null) {
            List<Problem> problems = reloadFile();
            if (!problems.isEmpty()) {
                throw new InvalidConfigException(problems);
            }
        } else {
            status = new Status(null, null, List.of());
        }
        try {
            refreshApiRules();
        } catch (RuntimeException e) {
            LOG.warn("rules created through the API could not be read yet ({}); retrying on the next evaluation",
                    e.getClass().getSimpleName());
        }
        rebuild();
        LOG.info("alert rules: {} default, {} from {}, {} from the API", defaults.size(), fileRules.size(),
                file == null ? "no rules file" : file.displayName(), apiRules.size());
    }

    /** The rules in force now. */
    public RuleSet current() {
        return current;
    }

    public Status status() {
        return status;
    }

    /**
     * Reads the rules file again if it changed. A version with problems is refused as a whole: the
     * problems are logged and kept in {@link #status()}, the previous rules stay in force.
     *
     * @return the problems of the file as it is now (empty when it is in force or unchanged)
     */
    public synchronized List<Problem> reloadFile() {
        if (file == null) {
            return List.of();
        }
        String text;
        try {
            text = file.readIfChanged();
        } catch (NoSuchFileException e) {
            return refuse(List.of(new Problem(file.displayName(), 0, "", "the rules file does not exist: create it, "
                    + "or unset vigil.alerting.rules-file (env VIGIL_RULES_FILE)")));
        } catch (IOException e) {
            return refuse(List.of(new Problem(file.displayName(), 0, "", "cannot read the rules file ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")")));
        }
        if (text == null) {
            return List.of();
        }
        Problems problems = new Problems();
        List<RuleParser.Parsed> parsed = RuleParser.document(ConfigNode.parse(text, file.displayName(), problems),
                RuleSource.FILE);
        for (RuleParser.Parsed p : parsed) {
            String id = p.rule().id();
            if (apiRules.stream().anyMatch(a -> a.rule().id().equals(id))) {
                problems.add(new Problem(file.displayName(), lineOf(p), "rules",
                        "rule id \"" + id + "\" is already taken by a rule created through the API: rename one of them"));
            }
        }
        if (!problems.isEmpty()) {
            return refuse(problems.list());
        }
        boolean first = status == null;
        fileRules = parsed;
        status = new Status(file.displayName(), clock.instant(), List.of());
        if (!first) {
            rebuild();
            LOG.info("rules file {} reloaded: {} rules", file.displayName(), parsed.size());
        }
        return List.of();
    }

    private List<Problem> refuse(List<Problem> problems) {
        boolean first = status == null;
        status = new Status(file == null ? null : file.displayName(), first ? null : status.loadedAt(),
                problems.stream().map(Problem::toString).toList());
        if (!first) {
            LOG.error("rules file {} has {} problem(s); keeping the rules read at {}", file.displayName(),
                    problems.size(), status.loadedAt());
            for (Problem p : problems) {
                LOG.error("{}", p);
            }
        }
        return problems;
    }

    /** Reads the API rules again if any changed (cheap check first). */
    public synchronized void refreshApiRules() {
        ApiRuleStore.Revision revision = store.revision();
        if (revision.equals(apiRevision)) {
            return;
        }
        List<RuleParser.Parsed> parsed = new ArrayList<>();
        for (ApiRuleStore.Row row : store.all()) {
            Problems problems = new Problems();
            RuleParser.Parsed p = RuleParser.rule(ConfigNode.parse(row.definition(), "rule " + row.id(), problems),
                    RuleSource.API);
            if (p == null || !problems.isEmpty()) {
                LOG.error("stored rule {} is not valid any more and is skipped: {}", row.id(), problems.list());
                continue;
            }
            parsed.add(p);
        }
        boolean changed = apiRevision != null;
        apiRules = parsed;
        apiRevision = revision;
        if (changed) {
            rebuild();
        }
    }

    /** A rule as given to the API: a JSON object shaped like one entry of the rules file. */
    public record Submitted(@Nullable RuleParser.Parsed parsed, List<Problem> problems) {
    }

    /** Validates a rule body without storing it. */
    public Submitted validate(String body) {
        Problems problems = new Problems();
        RuleParser.Parsed p = RuleParser.rule(ConfigNode.parse(body, "request body", problems), RuleSource.API);
        return new Submitted(problems.isEmpty() ? p : null, problems.list());
    }

    /**
     * Stores a new API rule.
     *
     * @throws RuleConflictException when the id is taken
     */
    public synchronized RuleSet.Entry create(RuleParser.Parsed p, String actor) {
        String id = p.rule().id();
        current.find(id).ifPresent(e -> {
            throw new RuleConflictException(taken(e));
        });
        if (!store.insert(id, toJson(p.definition()), actor, clock.instant())) {
            throw new RuleConflictException("rule id \"" + id + "\" is taken");
        }
        apiRevision = null;
        refreshApiRules();
        rebuild();
        return current.find(id).orElseThrow();
    }

    /**
     * Replaces an API rule.
     *
     * @throws RuleConflictException   when the rule comes from a file
     * @throws RuleNotFoundException   when there is no such rule
     */
    public synchronized RuleSet.Entry update(String id, RuleParser.Parsed p, String actor) {
        RuleSet.Entry existing = current.find(id).orElseThrow(() -> new RuleNotFoundException(id));
        if (existing.rule().source().readOnly()) {
            throw new RuleConflictException(readOnly(existing));
        }
        if (!p.rule().id().equals(id)) {
            throw new RuleConflictException("the body's id \"" + p.rule().id() + "\" differs from the rule's id \""
                    + id + "\"; ids cannot change: create a new rule and delete this one");
        }
        if (!store.update(id, toJson(p.definition()), actor, clock.instant())) {
            throw new RuleNotFoundException(id);
        }
        apiRevision = null;
        refreshApiRules();
        rebuild();
        return current.find(id).orElseThrow();
    }

    /**
     * Deletes an API rule. Its open alerts stay open until someone resolves them.
     *
     * @throws RuleConflictException when the rule comes from a file
     * @throws RuleNotFoundException when there is no such rule
     */
    public synchronized void delete(String id) {
        RuleSet.Entry existing = current.find(id).orElseThrow(() -> new RuleNotFoundException(id));
        if (existing.rule().source().readOnly()) {
            throw new RuleConflictException(readOnly(existing));
        }
        if (!store.delete(id)) {
            throw new RuleNotFoundException(id);
        }
        apiRevision = null;
        refreshApiRules();
        rebuild();
    }

    private static String readOnly(RuleSet.Entry e) {
        return "rule \"" + e.rule().id() + "\" comes from " + (e.rule().source().origin().equals(RuleSource.DEFAULT)
                ? "the shipped defaults (" + e.rule().source().location() + "): override it by the same id in the rules file"
                : e.rule().source().location() + " and is read-only through the API: edit the file");
    }

    private static String taken(RuleSet.Entry e) {
        return "rule id \"" + e.rule().id() + "\" is taken by a rule from " + e.rule().source().location();
    }

    private synchronized void rebuild() {
        Map<String, RuleSet.Entry> byId = new LinkedHashMap<>();
        for (RuleParser.Parsed p : defaults) {
            byId.put(p.rule().id(), new RuleSet.Entry(p.rule(), p.enabled(), p.definition()));
        }
        for (RuleParser.Parsed p : fileRules) {
            byId.put(p.rule().id(), new RuleSet.Entry(p.rule(), p.enabled(), p.definition()));
        }
        for (RuleParser.Parsed p : apiRules) {
            RuleSet.Entry clash = byId.get(p.rule().id());
            if (clash != null) {
                LOG.warn("API rule {} is ignored: its id is taken by {}", p.rule().id(), clash.rule().source().location());
                continue;
            }
            byId.put(p.rule().id(), new RuleSet.Entry(p.rule(), p.enabled(), p.definition()));
        }
        current = RuleSet.of(versions.incrementAndGet(), byId.values());
    }

    private static List<RuleParser.Parsed> readDefaults() {
        try (InputStream in = RuleCatalog.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the server's class path");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Problems problems = new Problems();
            List<RuleParser.Parsed> parsed = RuleParser.document(ConfigNode.parse(text, DEFAULTS_RESOURCE, problems),
                    RuleSource.DEFAULT);
            problems.throwIfAny();
            return parsed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int lineOf(RuleParser.Parsed p) {
        String loc = p.rule().source().location();
        int colon = loc.lastIndexOf(':');
        try {
            return colon < 0 ? 0 : Integer.parseInt(loc.substring(colon + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private String toJson(Object definition) {
        try {
            return json.writeValueAsString(definition);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
