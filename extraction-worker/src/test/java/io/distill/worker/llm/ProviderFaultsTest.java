package io.distill.worker.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import dev.langchain4j.exception.HttpException;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.io.InterruptedIOException;
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
        HttpException answered = new HttpException(503, "overloaded");
        answered.initCause(new SocketException("Connection reset"));
        assertFalse(ProviderFaults.connectionLost(wrapped(answered)), "an HTTP status was seen");
        assertFalse(ProviderFaults.connectionLost(wrapped(new SocketTimeoutException("Read timed out"))));
        assertFalse(ProviderFaults.connectionLost(wrapped(new IOException("connection timed out: /10.0.0.1:443"))));
        assertFalse(ProviderFaults.connectionLost(new IllegalStateException("no parser for the answer")));
    }

    @Test
    void anAnswerThatDidNotParseOrAnInterruptedReadIsNot() {
        // Jackson's exceptions are I/O exceptions: a body that came and did not parse was an answer
        assertFalse(ProviderFaults.connectionLost(
                wrapped(new JsonParseException((JsonParser) null, "Unexpected character ('<')"))));
        assertFalse(ProviderFaults.connectionLost(wrapped(new InterruptedIOException("interrupted"))));
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
