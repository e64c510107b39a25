package io.vigil.server.rule;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.vigil.server.auth.Access;
import io.vigil.server.auth.Caller;
import io.vigil.server.auth.Role;
import io.vigil.server.configfile.Problem;
import io.vigil.server.error.ApiError;

import java.util.List;

/**
 * {@code /api/v1/rules}: everyone with a key reads the rules in force (defaults, file, API) and the
 * state of the rules file; admins create, replace and delete API rules. Rules from files are
 * read-only here (409): they change by editing the file.
 */
@Controller("/api/v1/rules")
@ExecuteOn(TaskExecutors.BLOCKING)
class RuleController {

    private final RuleCatalog catalog;

    RuleController(RuleCatalog catalog) {
        this.catalog = catalog;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Access(Role.VIEWER)
    RuleList list() {
        return new RuleList(catalog.current().entries().stream().map(RuleView::of).toList(),
                FileStatus.of(catalog.status()));
    }

    @Get(uri = "/status", produces = MediaType.APPLICATION_JSON)
    @Access(Role.VIEWER)
    FileStatus status() {
        return FileStatus.of(catalog.status());
    }

    @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    @Access(Role.VIEWER)
    RuleView get(@PathVariable String id) {
        return RuleView.of(catalog.current().find(id).orElseThrow(() -> new RuleNotFoundException(id)));
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Access(Role.ADMIN)
    HttpResponse<?> create(@Body String body, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        RuleCatalog.Submitted s = catalog.validate(body);
        if (s.parsed() == null) {
            return invalid(s.problems());
        }
        return HttpResponse.created(RuleView.of(catalog.create(s.parsed(), caller.displayName())));
    }

    @Put(uri = "/{id}", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Access(Role.ADMIN)
    HttpResponse<?> update(@PathVariable String id, @Body String body, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        RuleCatalog.Submitted s = catalog.validate(body);
        if (s.parsed() == null) {
            return invalid(s.problems());
        }
        return HttpResponse.ok(RuleView.of(catalog.update(id, s.parsed(), caller.displayName())));
    }

    @Delete("/{id}")
    @Access(Role.ADMIN)
    HttpResponse<?> delete(@PathVariable String id) {
        catalog.delete(id);
        return HttpResponse.noContent();
    }

    private static HttpResponse<ApiError> invalid(List<Problem> problems) {
        return HttpResponse.badRequest(ApiError.of("invalid rule", problems.stream()
                .map(p -> new ApiError.Item(p.path(), p.message() + (p.line() > 0 ? " (line " + p.line() + ")" : "")))
                .toList()));
    }

    @Error(exception = RuleNotFoundException.class)
    HttpResponse<ApiError> notFound(RuleNotFoundException e) {
        return HttpResponse.<ApiError>status(HttpStatus.NOT_FOUND).body(ApiError.of(e.getMessage()));
    }

    @Error(exception = RuleConflictException.class)
    HttpResponse<ApiError> conflict(RuleConflictException e) {
        return HttpResponse.<ApiError>status(HttpStatus.CONFLICT).body(ApiError.of(e.getMessage()));
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record RuleList(List<RuleView> rules, FileStatus rulesFile) {
    }

    /**
     * A rule as the API shows it.
     *
     * @param source     default, file or api
     * @param location   where it is defined ({@code rules.yml:12}, {@code api})
     * @param definition the rule as written
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record RuleView(String id, String kind, String source, String location, boolean readOnly, boolean enabled,
                    Object definition) {
        static RuleView of(RuleSet.Entry e) {
            Rule r = e.rule();
            return new RuleView(r.id(), r.kind(), r.source().origin(), r.source().location(), r.source().readOnly(),
                    e.enabled(), e.definition());
        }
    }

    /**
     * @param file     the rules file, {@code null} when none is configured
     * @param loadedAt when the rules in force were read from it
     * @param problems what is wrong with the file as it is now; not empty means an edit was refused
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record FileStatus(@Nullable String file, @Nullable java.time.Instant loadedAt, List<String> problems) {
        static FileStatus of(RuleCatalog.Status s) {
            return new FileStatus(s.file(), s.loadedAt(), s.problems());
        }
    }
}
