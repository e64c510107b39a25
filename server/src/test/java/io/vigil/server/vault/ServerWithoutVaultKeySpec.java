package io.vigil.server.vault;

import io.micronaut.context.ApplicationContext;
import io.vigil.server.crypto.KeyringLoader;
import io.vigil.server.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The server never runs without a vault key, and never makes one up. */
class ServerWithoutVaultKeySpec {

    @Test
    void aServerWithoutAVaultKeyRefusesToStartSayingHowToCreateOne() {
        try (TestPostgres pg = TestPostgres.create()) {
            Map<String, Object> props = new HashMap<>(pg.micronautProperties());
            props.put("micronaut.server.port", -1);

            RuntimeException e = assertThrows(RuntimeException.class, () -> ApplicationContext.run(props).close());

            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertEquals(KeyringLoader.NO_KEY, root.getMessage());
        }
    }
}
