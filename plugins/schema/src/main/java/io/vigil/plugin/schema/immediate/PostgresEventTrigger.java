package io.vigil.plugin.schema.immediate;

import io.vigil.dbconnect.ConnectionSettings;
import io.vigil.dbconnect.FailureReason;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The PostgreSQL side of immediate mode: two event triggers, on {@code ddl_command_end} and
 * {@code sql_drop}, whose function sends a notification on {@value #CHANNEL} at the end of every
 * DDL command. They live in their own schema, {@value #SCHEMA}, which snapshots leave out.
 *
 * <p>The function uses only {@code TG_EVENT} and {@code TG_TAG}, the two variables PL/pgSQL
 * gives an event trigger function (the original monitor also read a {@code TG_OBJECT_TYPE} that
 * does not exist, so its function failed at run time, and an error in a {@code ddl_command_end}
 * trigger aborts the user's DDL). It also catches any error of its own, so that monitoring can
 * never make a migration fail: a full notification queue costs a notification, not the DDL.
 *
 * <p>Creating event triggers takes a superuser. When the triggers are already there (a DBA ran
 * {@link #INSTALL_SQL}, as the README shows), any user that can connect can LISTEN.
 */
public final class PostgresEventTrigger {

    /** The schema holding the notify function; never part of a snapshot. */
    public static final String SCHEMA = "vigil_monitor";
    /** The notification channel. */
    public static final String CHANNEL = "vigil_schema_change";
    static final String END_TRIGGER = "vigil_schema_ddl_end";
    static final String DROP_TRIGGER = "vigil_schema_sql_drop";

    private static final String CREATE_SCHEMA = "CREATE SCHEMA IF NOT EXISTS " + SCHEMA;
    private static final String CREATE_FUNCTION = "CREATE OR REPLACE FUNCTION " + SCHEMA
            + ".notify_schema_change() RETURNS event_trigger\n"
            + "LANGUAGE plpgsql AS $$\n"
            + "BEGIN\n"
            + "  PERFORM pg_notify('" + CHANNEL + "', json_build_object('event', TG_EVENT, 'tag', TG_TAG)::text);\n"
            + "EXCEPTION WHEN OTHERS THEN\n"
            + "  RAISE WARNING 'vigil: schema change notification failed: %', SQLERRM;\n"
            + "END $$";
    private static final String CREATE_END_TRIGGER = "CREATE EVENT TRIGGER " + END_TRIGGER
            + " ON ddl_command_end EXECUTE FUNCTION " + SCHEMA + ".notify_schema_change()";
    private static final String CREATE_DROP_TRIGGER = "CREATE EVENT TRIGGER " + DROP_TRIGGER
            + " ON sql_drop EXECUTE FUNCTION " + SCHEMA + ".notify_schema_change()";

    /** What a superuser runs to install immediate mode by hand; the monitor runs the same. */
    public static final String INSTALL_SQL = String.join(";\n",
            CREATE_SCHEMA, CREATE_FUNCTION, CREATE_END_TRIGGER, CREATE_DROP_TRIGGER) + ";\n";

    /** What removes it again: the function, and with it both event triggers. */
    public static final String UNINSTALL_SQL = "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE;";

    private PostgresEventTrigger() {
    }

    /**
     * Makes sure both triggers exist and are enabled, installing them when the user may.
     *
     * @return empty when the triggers are in place, else why immediate mode is not possible
     */
    static Optional<String> ensureInstalled(Connection c, ConnectionSettings settings) {
        try {
            Set<String> present = new HashSet<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select evtname from pg_event_trigger where evtenabled <> 'D' and evtname in ('"
                         + END_TRIGGER + "', '" + DROP_TRIGGER + "')")) {
                while (rs.next()) {
                    present.add(rs.getString(1));
                }
            }
            if (present.size() == 2) {
                return Optional.empty();
            }
            boolean superuser;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select rolsuper from pg_roles where rolname = current_user")) {
                superuser = rs.next() && rs.getBoolean(1);
            }
            if (!superuser) {
                return Optional.of("the event triggers " + END_TRIGGER + " and " + DROP_TRIGGER + " are not installed and "
                        + "user '" + settings.user() + "' is not a superuser, which PostgreSQL requires to create them: "
                        + "have a superuser run the install SQL from the schema plugin's README, or set immediate: false");
            }
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("select pg_advisory_xact_lock(hashtext('" + CHANNEL + "'))");
                try (ResultSet rs = st.executeQuery("select evtname from pg_event_trigger where evtname in ('"
                        + END_TRIGGER + "', '" + DROP_TRIGGER + "')")) {
                    present.clear();
                    while (rs.next()) {
                        present.add(rs.getString(1));
                    }
                }
                st.execute(CREATE_SCHEMA);
                st.execute(CREATE_FUNCTION);
                st.execute(present.contains(END_TRIGGER) ? "ALTER EVENT TRIGGER " + END_TRIGGER + " ENABLE"
                        : CREATE_END_TRIGGER);
                st.execute(present.contains(DROP_TRIGGER) ? "ALTER EVENT TRIGGER " + DROP_TRIGGER + " ENABLE"
                        : CREATE_DROP_TRIGGER);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of("could not install the event triggers: " + FailureReason.describe(e, settings));
        }
    }
}
