package io.vigil.plugin.filesystem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FileRecordJsonTest {

    @Test
    void aRecordSurvivesTheRoundTrip() {
        FileRecord r = new FileRecord(FileKind.FILE, 12, 1_767_225_600_123_456_789L, 1_767_225_600_223_456_789L,
                04755, "root", "wheel", "ab".repeat(32), 131, 2049, null, null);
        assertEquals(r, FileRecordJson.decode(FileRecordJson.encode(r)));
    }

    @Test
    void textWithQuotesBackslashesAndControlCharactersSurvives() {
        FileRecord r = new FileRecord(FileKind.SYMLINK, 3, 1, 1, 0777, "o\"wner", "g\\roup", null, 1, 1,
                "tar\nget\u0001é", "Permission \"denied\"");
        assertEquals(r, FileRecordJson.decode(FileRecordJson.encode(r)));
    }

    @Test
    void theStoredFormIsCompactJson() {
        FileRecord r = new FileRecord(FileKind.DIRECTORY, 4096, 5, 6, 0755, "root", "root", null, 2, 3, null, null);
        assertEquals("{\"k\":\"d\",\"s\":4096,\"m\":5,\"c\":6,\"p\":493,\"u\":\"root\",\"g\":\"root\",\"i\":2,\"d\":3}",
                FileRecordJson.encode(r));
    }

    @Test
    void unknownKeysAreIgnoredAndGarbageIsRefused() {
        assertEquals(FileKind.FILE, FileRecordJson.decode("{\"k\":\"f\",\"future\":\"x\",\"s\":1}").kind());
        assertThrows(IllegalArgumentException.class, () -> FileRecordJson.decode("{\"s\":1}"));
        assertThrows(IllegalArgumentException.class, () -> FileRecordJson.decode("not json"));
    }
}
