package io.vigil.server.rule;

/**
 * Where a rule was defined.
 *
 * @param origin   {@code default} (shipped with the server), {@code file} (the rules file) or
 *                 {@code api} (created through the API, stored in PostgreSQL)
 * @param location {@code rules.yml:12} for files, {@code api} for the API
 */
public record RuleSource(String origin, String location) {

    public static final String DEFAULT = "default";
    public static final String FILE = "file";
    public static final String API = "api";

    /** Rules from files can only be changed by editing the file. */
    public boolean readOnly() {
        return !origin.equals(API);
    }
}
