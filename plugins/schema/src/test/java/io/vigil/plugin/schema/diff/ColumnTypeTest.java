package io.vigil.plugin.schema.diff;

import static io.vigil.plugin.schema.diff.ColumnType.Change.CHANGED;
import static io.vigil.plugin.schema.diff.ColumnType.Change.NARROWED;
import static io.vigil.plugin.schema.diff.ColumnType.Change.WIDENED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ColumnTypeTest {

    @ParameterizedTest(name = "{1}: {2} -> {3} is {0}")
    @CsvSource(delimiter = '|', textBlock = """
            NARROWED | postgresql | character varying(100)       | character varying(50)
            WIDENED  | postgresql | character varying(50)        | character varying(100)
            WIDENED  | postgresql | character varying(50)        | text
            NARROWED | postgresql | text                         | character varying(255)
            WIDENED  | postgresql | character(5)                 | character varying(5)
            NARROWED | postgresql | bigint                       | integer
            WIDENED  | postgresql | smallint                     | bigint
            NARROWED | postgresql | numeric(12,2)                | numeric(10,2)
            NARROWED | postgresql | numeric(12,4)                | numeric(14,2)
            WIDENED  | postgresql | numeric(12,2)                | numeric(14,3)
            WIDENED  | postgresql | numeric(12,2)                | numeric
            NARROWED | postgresql | numeric                      | numeric(38,10)
            WIDENED  | postgresql | integer                      | numeric(10,0)
            NARROWED | postgresql | bigint                       | numeric(10,0)
            WIDENED  | postgresql | integer                      | double precision
            NARROWED | postgresql | bigint                       | double precision
            NARROWED | postgresql | double precision             | real
            NARROWED | postgresql | timestamp without time zone  | timestamp(0) without time zone
            CHANGED  | postgresql | timestamp without time zone  | timestamp with time zone
            CHANGED  | postgresql | text                         | integer
            CHANGED  | postgresql | integer                      | integer[]
            NARROWED | postgresql | integer[]                    | smallint[]
            NARROWED | mariadb    | varchar(200)                 | varchar(50)
            WIDENED  | mariadb    | text                         | mediumtext
            NARROWED | mariadb    | text                         | varchar(100)
            NARROWED | mariadb    | longtext                     | text
            WIDENED  | mariadb    | int                          | bigint
            NARROWED | mariadb    | int unsigned                 | int
            WIDENED  | mariadb    | int unsigned                 | bigint
            NARROWED | mariadb    | bigint                       | bigint unsigned
            NARROWED | mariadb    | tinyint                      | smallint unsigned
            WIDENED  | mariadb    | tinyint unsigned             | smallint
            WIDENED  | mariadb    | datetime                     | datetime(3)
            NARROWED | mariadb    | decimal(12,2)                | decimal(8,2)
            NARROWED | mariadb    | enum('a','b','c')            | enum('a','b')
            WIDENED  | mariadb    | enum('a','b')                | enum('a','b','c')
            NARROWED | mariadb    | varbinary(64)                | varbinary(16)
            WIDENED  | sqlite     | varchar(50)                  | varchar(100)
            CHANGED  | sqlite     | text                         | blob
            """)
    void classifiesTypeChanges(ColumnType.Change expected, String engine, String before, String after) {
        assertEquals(expected, ColumnType.compare(before, after, engine));
    }
}
