package io.vigil.dbconnect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class JdbcUrlTest {

    @Test
    void theEngineIsChosenByTheUrlPrefix() {
        assertEquals(Engine.POSTGRESQL, JdbcUrl.parse("jdbc:postgresql://db1:5432/shop").engine());
        assertEquals(Engine.MARIADB, JdbcUrl.parse("jdbc:mariadb://db1/shop").engine());
        assertEquals(Engine.MARIADB, JdbcUrl.parse("JDBC:MySQL://db1/shop").engine());
        assertEquals(Engine.SQLITE, JdbcUrl.parse("jdbc:sqlite:/var/lib/app.db").engine());
    }

    @Test
    void aMysqlUrlIsGivenToTheMariadbDriverWithItsOwnScheme() {
        assertEquals("jdbc:mariadb://db1:3306/shop?sslMode=verify-full",
                JdbcUrl.parse("jdbc:mysql://db1:3306/shop?sslMode=verify-full").driverUrl());
    }

    @Test
    void anUnsupportedUrlNamesTheAcceptedFormsAndHidesItsPassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JdbcUrl.parse("jdbc:oracle:thin:@db1:1521/x?password=hunter2"));
        assertEquals("unsupported JDBC URL \"jdbc:oracle:thin:@db1:1521/x?password=****\": expected "
                + "jdbc:postgresql://host:5432/db, jdbc:mariadb://host:3306/db (or jdbc:mysql://) or "
                + "jdbc:sqlite:/path/to/file.db", e.getMessage());
    }

    @Test
    void redactionMasksPasswordParametersUserInfoAndAddressForms() {
        assertEquals("jdbc:postgresql://db1/shop?user=vigil&password=****&sslpassword=****&ssl=true",
                JdbcUrl.redact("jdbc:postgresql://db1/shop?user=vigil&password=s3cr3t&sslpassword=k&ssl=true"));
        assertEquals("jdbc:mariadb://vigil:****@db1:3306/shop?trustStorePassword=****",
                JdbcUrl.redact("jdbc:mariadb://vigil:s3cr3t@db1:3306/shop?trustStorePassword=x"));
        assertEquals("jdbc:mariadb://address=(host=db1)(port=3306)(password=****)/shop",
                JdbcUrl.redact("jdbc:mariadb://address=(host=db1)(port=3306)(password=s3cr3t)/shop"));
        assertEquals(JdbcUrl.redact("jdbc:postgresql://db1/shop?password=s3cr3t"),
                JdbcUrl.parse("jdbc:postgresql://db1/shop?password=s3cr3t").toString());
    }

    @Test
    void displayNamesTheDatabaseWithoutCredentialsOrParameters() {
        assertEquals("postgresql://db1:5432/shop",
                JdbcUrl.parse("jdbc:postgresql://db1:5432/shop?password=s3cr3t&sslmode=require").display());
        assertEquals("mariadb://db1:3306/shop", JdbcUrl.parse("jdbc:mysql://vigil:s3cr3t@db1:3306/shop?sslMode=disable").display());
        assertEquals("sqlite:/var/lib/app.db", JdbcUrl.parse("jdbc:sqlite:/var/lib/app.db?journal_mode=wal").display());
    }

    @Test
    void hostAndPortDefaultThePortPerEngine() {
        assertEquals(Optional.of("db1:5432"), JdbcUrl.parse("jdbc:postgresql://db1/shop").hostAndPort());
        assertEquals(Optional.of("db1:3307"), JdbcUrl.parse("jdbc:mariadb://u:p@db1:3307,db2/shop").hostAndPort());
        assertEquals(Optional.of("db1:3306"), JdbcUrl.parse("jdbc:mysql://db1").hostAndPort());
        assertEquals(Optional.empty(), JdbcUrl.parse("jdbc:sqlite:/x.db").hostAndPort());
    }

    @Test
    void sqliteFileIsThePathWithoutUriPrefixOrParameters() {
        assertEquals(Optional.of("/var/lib/app.db"), JdbcUrl.parse("jdbc:sqlite:file:/var/lib/app.db?mode=ro").sqliteFile());
        assertEquals(Optional.empty(), JdbcUrl.parse("jdbc:sqlite::memory:").sqliteFile());
    }

    @Test
    void parametersAreFoundCaseInsensitively() {
        JdbcUrl url = JdbcUrl.parse("jdbc:mariadb://db1/shop?SSLMODE=disable&connectTimeout=500");
        assertTrue(url.hasParameter("sslMode"));
        assertTrue(url.hasParameter("connecttimeout"));
        assertFalse(url.hasParameter("socketTimeout"));
        assertEquals(Optional.of("disable"), url.parameter("sslMode"));
    }
}
