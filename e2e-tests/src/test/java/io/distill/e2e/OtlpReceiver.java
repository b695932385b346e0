package io.distill.e2e;

import com.google.protobuf.CodedInputStream;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OTLP/HTTP trace collector for tests: accepts {@code POST /v1/traces} (protobuf) and keeps each
 * span's service, name, trace id and attributes. It reads only the fields it needs, straight from
 * the wire format, so it needs no generated OTLP classes.
 */
final class OtlpReceiver implements AutoCloseable {
    record ReceivedSpan(String service, String name, String traceId, Map<String, String> attributes) {}

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                spans.addAll(decodeRequest(body.readAllBytes()));
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** ExportTraceServiceRequest: 1 resource_spans → (1 resource → 1 attributes; 2 scope_spans → 2 spans). */
    private static List<ReceivedSpan> decodeRequest(byte[] bytes) throws IOException {
        List<ReceivedSpan> out = new ArrayList<>();
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (tag >>> 3 == 1) {
                decodeResourceSpans(in.readBytes().newCodedInput(), out);
            } else {
                in.skipField(tag);
            }
        }
        return out;
    }

    private static void decodeResourceSpans(CodedInputStream in, List<ReceivedSpan> out) throws IOException {
        Map<String, String> resource = new HashMap<>();
        List<byte[]> scopeSpans = new ArrayList<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag >>> 3) {
                case 1 -> {
                    CodedInputStream r = in.readBytes().newCodedInput();
                    for (int t; (t = r.readTag()) != 0; ) {
                        if (t >>> 3 == 1) {
                            keyValue(r.readBytes().newCodedInput(), resource);
                        } else {
                            r.skipField(t);
                        }
                    }
                }
                case 2 -> scopeSpans.add(in.readBytes().toByteArray());
                default -> in.skipField(tag);
            }
        }
        String service = resource.getOrDefault("service.name", "?");
        for (byte[] scope : scopeSpans) {
            CodedInputStream s = CodedInputStream.newInstance(scope);
            for (int tag; (tag = s.readTag()) != 0; ) {
                if (tag >>> 3 == 2) {
                    out.add(span(s.readBytes().newCodedInput(), service));
                } else {
                    s.skipField(tag);
                }
            }
        }
    }

    /** Span: 1 trace_id, 5 name, 9 attributes. */
    private static ReceivedSpan span(CodedInputStream in, String service) throws IOException {
        String traceId = null;
        String name = null;
        Map<String, String> attributes = new HashMap<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag >>> 3) {
                case 1 -> traceId = HexFormat.of().formatHex(in.readBytes().toByteArray());
                case 5 -> name = in.readString();
                case 9 -> keyValue(in.readBytes().newCodedInput(), attributes);
                default -> in.skipField(tag);
            }
        }
        return new ReceivedSpan(service, name, traceId, attributes);
    }

    /** KeyValue: 1 key, 2 AnyValue (1 string_value; other kinds kept as "?"). */
    private static void keyValue(CodedInputStream in, Map<String, String> into) throws IOException {
        String key = null;
        String value = "?";
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (tag >>> 3 == 1) {
                key = in.readString();
            } else if (tag >>> 3 == 2) {
                CodedInputStream any = in.readBytes().newCodedInput();
                for (int t; (t = any.readTag()) != 0; ) {
                    if (t >>> 3 == 1) {
                        value = any.readString();
                    } else {
                        any.skipField(t);
                    }
                }
            } else {
                in.skipField(tag);
            }
        }
        if (key != null) {
            into.put(key, value);
        }
    }
}
