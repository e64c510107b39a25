package io.vigil.server.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.vigil.server.alert.LabelMatcher;
import io.vigil.server.auth.Access;
import io.vigil.server.auth.Role;
import io.vigil.server.configfile.Durations;
import io.vigil.server.notify.ChannelCatalog;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/routing}: the routing configuration in force (channels by name and type, never
 * their settings or secrets; the routing tree with inherited settings resolved) and the problems of
 * the routing file as it is now.
 */
@Controller("/api/v1/routing")
class RoutingController {

    private final RoutingFile routing;
    private final ChannelCatalog channels;

    RoutingController(RoutingFile routing, ChannelCatalog channels) {
        this.routing = routing;
        this.channels = channels;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Access(Role.VIEWER)
    RoutingView get() {
        return new RoutingView(routing.file(), routing.loadedAt(), routing.problems(),
                channels.all().values().stream().map(c -> new ChannelView(c.name(), c.type())).toList(),
                RouteView.of(routing.root()));
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record RoutingView(@Nullable String file, @Nullable Instant loadedAt, List<String> problems,
                       List<ChannelView> channels, RouteView route) {
    }

    @Serdeable
    record ChannelView(String name, String type) {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record RouteView(String id, List<String> match, List<String> channels, boolean continueMatching,
                     @Nullable List<String> groupBy, String groupWait, String groupInterval, String repeatInterval,
                     boolean sendResolved, @Nullable String escalation, List<RouteView> routes) {
        static RouteView of(Route r) {
            return new RouteView(r.id(), r.match().stream().map(LabelMatcher::toString).toList(), r.channels(),
                    r.continueMatching(), r.groupBy() == null ? List.of("...") : r.groupBy(),
                    Durations.format(r.groupWait()), Durations.format(r.groupInterval()),
                    Durations.format(r.repeatInterval()), r.sendResolved(), r.escalation(),
                    r.routes().stream().map(RouteView::of).toList());
        }
    }
}
