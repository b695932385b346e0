package io.distill.testinfra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * HTTP and WebSocket on a bare socket, for what well-behaved clients will not send: conflicting
 * length headers, frames that are not UTF-8, frames over the limit, connections dropped mid-way.
 */
public final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(String host, int port) throws IOException {
        this.socket = new Socket(host, port);
        this.socket.setSoTimeout(15_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawHttp connect(String url) throws IOException {
        java.net.URI uri = java.net.URI.create(url);
        return new RawHttp(uri.getHost(), uri.getPort());
    }

    /** Sends raw bytes (a request head, a body, frames). */
    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    public RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The status line and headers of the answer, up to the blank line. */
    public String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** What the server sends until it closes the connection (or the read times out), at most {@code max} bytes. */
    public String readRest(int max) throws IOException {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        try {
            byte[] buffer = new byte[8192];
            int n;
            while (rest.size() < max && (n = in.read(buffer)) > 0) {
                rest.write(buffer, 0, n);
            }
        } catch (java.net.SocketTimeoutException | java.net.SocketException ended) {
            // what arrived is what there is
        }
        return rest.toString(StandardCharsets.UTF_8);
    }

    /** Opens a WebSocket on {@code path}; returns the status line of the answer (101 when upgraded). */
    public String upgrade(String path, String host) throws IOException {
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
        String head = readHead();
        return head.lines().findFirst().orElse("");
    }

    /** One masked client frame, as RFC 6455 asks of clients: opcode 1 text, 2 binary. */
    public RawHttp frame(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        new SecureRandom().nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return send(frame.toByteArray());
    }

    /**
     * Reads server frames until a close frame; returns its status code, or -1 when the connection
     * ended without one. Text frames before it are skipped.
     */
    public int awaitCloseCode() throws IOException {
        try {
            while (true) {
                int first = in.read();
                if (first < 0) {
                    return -1;
                }
                int second = in.read();
                long length = second & 0x7f;
                if (length == 126) {
                    length = (in.read() << 8) | in.read();
                } else if (length == 127) {
                    length = 0;
                    for (int i = 0; i < 8; i++) {
                        length = (length << 8) | in.read();
                    }
                }
                byte[] payload = in.readNBytes((int) length);
                if ((first & 0x0f) == 8) {
                    return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                }
            }
        } catch (java.net.SocketException | java.net.SocketTimeoutException e) {
            return -1;
        }
    }

    /** Drops the connection without a close frame (RST), like a browser tab killed mid-way. */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
