package io.vigil.server.openapi;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/**
 * The title, version and security of the OpenAPI document that micronaut-openapi generates from
 * the controllers at build time ({@code META-INF/swagger/vigil.yml}), served by
 * {@link OpenApiController}.
 */
@OpenAPIDefinition(
        info = @Info(title = "Vigil server API", version = "1",
                description = "Ingest, query, statistics and administration of the Vigil monitoring server. "
                        + "Every /api route takes 'Authorization: Bearer <token>': an agent token for ingest and "
                        + "heartbeat, an API key (viewer, operator or admin) or the admin token for the rest. "
                        + "Errors are problem details (type, title, status, detail). See docs/api.md.",
                license = @License(name = "see the repository")),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer")
final class ApiDefinition {

    private ApiDefinition() {
    }
}
