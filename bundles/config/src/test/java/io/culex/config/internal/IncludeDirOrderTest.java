package io.culex.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class IncludeDirOrderTest {

    @Test
    void theExampleOfMosquittosManual() {
        List<String> names = new ArrayList<>(List.of("b.conf", "A.conf", "01.conf", "a.conf", "B.conf", "00.conf"));
        names.sort(IncludeDirOrder.INSTANCE);
        assertEquals(List.of("00.conf", "01.conf", "A.conf", "a.conf", "B.conf", "b.conf"), names);
    }

    @Test
    void lettersCompareCaseInsensitivelyBeforeOtherCharacters() {
        // checked against mosquitto 2.0.11: aB.conf loads before a_x.conf, both before B.conf and Z.conf
        List<String> names = new ArrayList<>(List.of("Z.conf", "a_x.conf", "B.conf", "aB.conf", "a.conf"));
        names.sort(IncludeDirOrder.INSTANCE);
        assertEquals(List.of("a.conf", "aB.conf", "a_x.conf", "B.conf", "Z.conf"), names);
    }
}
