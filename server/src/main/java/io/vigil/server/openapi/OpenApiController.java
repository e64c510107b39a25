package io.vigil.server.openapi;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;
import io.vigil.server.error.ApiError;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /openapi.yml}: the OpenAPI document of this server's API, generated at build time.
 * Unauthenticated: it describes the API, it holds no data.
 */
@Controller
@Hidden
class OpenApiController {

    static final String RESOURCE = "META-INF/swagger/vigil.yml";

    private final byte[] document;

    OpenApiController() {
        try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            document = in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(uri = "/openapi.yml", produces = "application/yaml")
    HttpResponse<?> spec() {
        if (document == null) {
            return HttpResponse.notFound(ApiError.of(RESOURCE + " is missing from the server's class path: "
                    + "the build did not run the micronaut-openapi annotation processor"));
        }
        return HttpResponse.ok(new String(document, StandardCharsets.UTF_8)).contentType(MediaType.of("application/yaml"));
    }
}
