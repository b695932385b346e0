package io.distill.worker.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.exception.HttpException;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ProviderFaultsTest {

    @Test
    void aConnectionClosedResetOrRefusedBeforeAnAnswerIsLost() {
        assertTrue(ProviderFaults.connectionLost(wrapped(new HttpClosedException("Connection was closed"))));
        assertTrue(ProviderFaults.connectionLost(wrapped(new SocketException("Connection reset"))));
        assertTrue(ProviderFaults.connectionLost(wrapped(new ConnectException("Connection refused"))));
    }

    @Test
    void anAnswerATimeoutOrAnotherFailureIsNot() {
        assertFalse(ProviderFaults.connectionLost(new HttpException(503, "overloaded")));
        assertFalse(ProviderFaults.connectionLost(wrapped(new SocketTimeoutException("Read timed out"))));
        assertFalse(ProviderFaults.connectionLost(new IllegalStateException("no parser for the answer")));
    }

    @Test
    void aLoopOfCausesEnds() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);
        assertFalse(ProviderFaults.connectionLost(first));
        assertEquals("RuntimeException (java.lang.RuntimeException: second)", ProviderFaults.describe(first));
    }

    @Test
    void theLoggedDescriptionNamesTheRootCauseOnOneShortLine() {
        String described =
                ProviderFaults.describe(wrapped(new SocketException("Connection\nreset " + "x".repeat(500))));
        assertTrue(described.startsWith("RuntimeException (java.net.SocketException: Connection reset x"), described);
        assertFalse(described.contains("\n"));
        assertTrue(described.length() < 300, described);
    }

    private static RuntimeException wrapped(Throwable cause) {
        return new RuntimeException("the REST client's wrapper", cause);
    }
}
