package io.vigil.server.auth;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The role a route under {@code /api} requires. Every such route must carry one: the
 * {@link BearerAuthFilter} refuses routes without it (fail closed), so a new endpoint cannot be
 * opened by forgetting an annotation.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Access {

    /** The role the caller must have. */
    Role value();
}
