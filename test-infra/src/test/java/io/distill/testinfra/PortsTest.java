package io.distill.testinfra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PortsTest {

    @Test
    void aForkNumberIsReadAndAnythingElseIsRefused() {
        assertNull(Ports.forkNumber(null));
        assertEquals(2, Ports.forkNumber("2"));
        assertEquals(3, Ports.forkNumber(" 3 "));
        // what the build passed when surefire did not fill in the placeholder
        for (String broken : new String[] {"", "${surefire.forkNumber}", "0", "-1", "two"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Ports.forkNumber(broken));
            assertTrue(e.getMessage().contains("distill.test.fork"), e.getMessage());
        }
    }

    @Test
    void aPortIsHandedOutOnce() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            assertTrue(seen.add(Ports.free()), "handed out twice");
        }
    }
}
