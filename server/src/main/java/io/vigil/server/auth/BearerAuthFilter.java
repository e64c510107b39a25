package io.vigil.server.auth;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteMatch;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.server.database.DatabaseFailures;
import io.vigil.server.error.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Authenticates every {@code /api} request from its {@code Authorization: Bearer} token and checks
 * the caller's role against the route's {@link Access} role ({@link Role#grants}).
 *
 * <ul>
 *   <li>no token, or a token that is not the admin token, an API key or an agent's: 401 with
 *       {@code WWW-Authenticate: Bearer};</li>
 *   <li>a valid token whose role does not reach the route's (an agent token on a read route, a
 *       viewer key on an operator route, an API key on ingest): 403;</li>
 *   <li>a route without {@link Access}: 403, closed (fail closed).</li>
 * </ul>
 * Tokens never appear in logs or responses.
 */
@ServerFilter("/api/**")
final class BearerAuthFilter {

    private static final Logger LOG = LoggerFactory.getLogger(BearerAuthFilter.class);
    private static final String BEARER = "Bearer ";
    private static final String CHALLENGE = "Bearer realm=\"vigil\"";

    private final AgentTokenLookup agents;
    private final ApiKeys keys;
    private final MeterRegistry meters;
    private final @Nullable String adminToken;

    BearerAuthFilter(AgentTokenLookup agents, ApiKeys keys, MeterRegistry meters,
                     @Nullable @Value("${vigil.auth.admin-token:}") String adminToken) {
        this.agents = agents;
        this.keys = keys;
        this.meters = meters;
        this.adminToken = adminToken == null || adminToken.isBlank() ? null : adminToken.strip();
        if (this.adminToken == null) {
            LOG.warn("no admin token configured: only API keys created earlier can read or manage; set "
                    + "vigil.auth.admin-token (env VIGIL_ADMIN_TOKEN) to bootstrap one");
        } else if (this.adminToken.length() < 16) {
            LOG.warn("the admin token is only {} characters; use at least 32 random characters "
                    + "(e.g. openssl rand -hex 32)", this.adminToken.length());
        }
    }

    // Blocking: resolving a token is a database lookup.
    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    HttpResponse<?> authenticate(HttpRequest<?> request) {
        Optional<RouteMatch<?>> route = RouteAttributes.getRouteMatch(request);
        if (route.isEmpty()) {
            return null; // no such route: let the router answer 404/405
        }
        Role required = route.get().getAnnotationMetadata().enumValue(Access.class, Role.class).orElse(null);
        if (required == null) {
            return refuse(request, HttpStatus.FORBIDDEN, "no_access_rule",
                    "this endpoint declares no access rule and is closed");
        }
        String token = bearerToken(request);
        Caller caller = token == null ? null : identify(token);

        if (caller == null) {
            String message;
            if (token == null && required != Role.AGENT && adminToken == null) {
                message = "missing bearer token, and no admin token is configured on this server: send an API key "
                        + "as 'Authorization: Bearer <token>', or set vigil.auth.admin-token (environment variable "
                        + "VIGIL_ADMIN_TOKEN) on the server to bootstrap one";
            } else if (token == null) {
                message = "missing bearer token: send 'Authorization: Bearer <token>'";
            } else {
                message = "unknown token: it is not the admin token, an API key or an agent's token "
                        + "(revoked ones are refused too)";
            }
            MutableHttpResponse<ApiError> response = refuse(request, HttpStatus.UNAUTHORIZED,
                    token == null ? "missing_token" : "unknown_token", message);
            return response.header(HttpHeaders.WWW_AUTHENTICATE,
                    token == null ? CHALLENGE : CHALLENGE + ", error=\"invalid_token\"");
        }
        if (!caller.has(required)) {
            return refuse(request, HttpStatus.FORBIDDEN, "wrong_role:" + caller.displayName(),
                    forbidden(caller, required));
        }
        request.setAttribute(Caller.ATTRIBUTE, caller);
        return null;
    }

    private static String forbidden(Caller caller, Role required) {
        if (required == Role.AGENT) {
            return "this endpoint takes an agent's token, not an API key or the admin token "
                    + "(POST /api/v1/agents creates an agent and its token)";
        }
        if (caller.role() == Role.AGENT) {
            return "agent tokens cannot use this endpoint; it requires an API key with role "
                    + required.wireName() + (required == Role.ADMIN ? "" : " or higher");
        }
        return "this endpoint requires role " + required.wireName() + (required == Role.ADMIN ? "" : " or higher")
                + "; " + caller.displayName() + " has role " + caller.role().wireName();
    }

    private @Nullable Caller identify(String token) {
        if (adminToken != null && TokenHash.sameSecret(token, adminToken)) {
            return new AdminCaller();
        }
        String hash = TokenHash.of(token);
        return DatabaseFailures.unlessUnavailable(() -> {
            // the prefix says which table to look in first; the other is a fallback for
            // configured (bootstrap) tokens, which may look like anything
            if (token.startsWith(TokenIssuer.KEY_PREFIX)) {
                return keys.findByTokenHash(hash).<Caller>map(c -> c)
                        .or(() -> agents.findByTokenHash(hash));
            }
            return agents.findByTokenHash(hash).<Caller>map(c -> c)
                    .or(() -> keys.findByTokenHash(hash));
        }).orElse(null);
    }

    private static @Nullable String bearerToken(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = header.substring(BEARER.length()).strip();
        return token.isEmpty() ? null : token;
    }

    private MutableHttpResponse<ApiError> refuse(HttpRequest<?> request, HttpStatus status, String reason,
                                                 String message) {
        LOG.atInfo()
                .addKeyValue("method", request.getMethodName())
                .addKeyValue("path", request.getPath())
                .addKeyValue("status", status.getCode())
                .addKeyValue("reason", reason)
                .addKeyValue("remote", request.getRemoteAddress().getHostString())
                .setMessage("refused {} {}: {}")
                .addArgument(request.getMethodName())
                .addArgument(request.getPath())
                .addArgument(reason)
                .log();
        meters.counter("vigil.auth.refusals", "status", Integer.toString(status.getCode())).increment();
        return HttpResponse.<ApiError>status(status).body(ApiError.of(message));
    }
}
