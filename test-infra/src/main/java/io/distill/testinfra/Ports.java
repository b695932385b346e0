package io.distill.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for servers started by tests, each handed out once per JVM. A port is free
 * when it is found, not when the server binds it seconds later; so test JVMs that run side by side
 * ({@code distill.test.fork} = 1, 2, … as the build numbers its forks) take ports from ranges of
 * their own, below the kernel's ephemeral range, and a JVM never hands out the same port twice.
 * Without a fork number the kernel picks.
 */
public final class Ports {
    private static final int FIRST = 20_000;
    private static final int PER_FORK = 3_000;
    private static final int RANGES = 4;
    /** The range e2e's three test forks leave free, for a process one of them starts (the bench smoke suite). */
    public static final int SPARE_FORK = RANGES;

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final Integer FORK = forkNumber(System.getProperty("distill.test.fork"));

    private Ports() {}

    public static int free() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = FORK == null ? kernelPick() : rangePick(FORK);
            if (port > 0 && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port that was not handed out already");
    }

    /**
     * The fork's number, or null without one. A value that is not a number is the build's mistake (an
     * unexpanded or empty placeholder): silently falling back to the kernel's ports let a server's port
     * be taken by some client's outgoing connection before the server bound it.
     */
    static Integer forkNumber(String value) {
        if (value == null) {
            return null;
        }
        try {
            int fork = Integer.parseInt(value.trim());
            if (fork < 1) {
                throw new NumberFormatException("below 1");
            }
            return fork;
        } catch (NumberFormatException e) {
            throw new IllegalStateException("distill.test.fork is '" + value + "', not a fork number (1, 2, …)");
        }
    }

    private static int kernelPick() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port of the fork's range that can be bound now, or 0. */
    private static int rangePick(int fork) {
        int port = FIRST
                + ((fork - 1) % RANGES) * PER_FORK
                + ThreadLocalRandom.current().nextInt(PER_FORK);
        try (ServerSocket ignored = new ServerSocket(port)) {
            return port;
        } catch (IOException inUse) {
            return 0;
        }
    }
}
