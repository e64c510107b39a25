package io.vigil.server.database;

/**
 * An array value for a {@link Sql} statement.
 *
 * @param type     the element type as PostgreSQL's JDBC driver names it ({@code text}, {@code int2}, {@code int8})
 * @param elements the elements
 */
public record SqlArray(String type, Object[] elements) {
}
