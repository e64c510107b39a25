package io.vigil.server.auth;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The role a route under {@code /api} requires, on the controller class or a method (the method's
 * wins). Every such route must carry one: the {@link BearerAuthFilter} refuses routes without it
 * (fail closed), so a new endpoint cannot be opened by forgetting an annotation. A caller passes
 * with that role or a higher one ({@link Role#grants}): {@code @Access(Role.OPERATOR)} admits
 * operator and admin keys and the admin token; {@code @Access(Role.AGENT)} admits agent tokens only.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Access {

    /** The role the caller must have. */
    Role value();
}
