package io.distill.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ticket ids seen by this replica until they expire, so a ticket opens one connection. A ticket
 * replayed against another replica within its lifetime (seconds) is not caught: that would need
 * shared state, and the short lifetime is the main defence.
 */
@ApplicationScoped
public class UsedTickets {
    private final Map<String, Long> expiries = new ConcurrentHashMap<>();

    /** True the first time a ticket id is presented; tickets without an id are refused. */
    boolean firstUse(String ticketId, long expiresAtEpochSecond) {
        if (ticketId == null) {
            return false;
        }
        long now = System.currentTimeMillis() / 1000;
        if (expiries.size() > 10_000) {
            expiries.values().removeIf(expiry -> expiry < now);
        }
        return expiries.putIfAbsent(ticketId, expiresAtEpochSecond) == null;
    }
}
