import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo client of {@code ./distill demo}: submits a message over REST, follows the job over the
 * WebSocket with a progress bar in the terminal, then prints the stored result. JDK only, run as a
 * single source file: {@code java scripts/DistillDemo.java API_URL WS_URL MESSAGE_FILE}.
 */
public class DistillDemo {
    static final String USER = System.getenv().getOrDefault("DISTILL_USER", "demo");
    static final String PASSWORD = System.getenv("DISTILL_PASSWORD");

    public static void main(String[] args) throws Exception {
        String api = args[0];
        String ws = args[1];
        String text = Files.readString(Path.of(args[2]));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        String credentials = "{\"username\":" + quote(USER) + ",\"password\":" + quote(PASSWORD) + "}";
        post(http, api + "/api/auth/register", null, credentials); // 201 the first time, 409 after
        String token = field(expect(post(http, api + "/api/auth/token", null, credentials), 200).body(), "accessToken");
        String ticket = field(expect(post(http, api + "/api/auth/ws-ticket", token, ""), 200).body(), "ticket");
        System.out.println("signed in as " + USER);

        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket socket = http.newWebSocketBuilder()
                .buildAsync(URI.create(ws + "?ticket=" + ticket), new Collector(messages)).join();
        socket.sendText("{\"type\":\"subscribe\",\"all\":true}", true).join();
        String first;
        do {
            first = messages.poll(10, TimeUnit.SECONDS);
            if (first == null) {
                throw new IllegalStateException("the gateway did not confirm the subscription");
            }
        } while (!first.contains("\"type\":\"subscribed\""));

        HttpResponse<String> submitted = expect(post(http, api + "/api/jobs", token,
                "{\"text\":" + quote(text) + ",\"metadata\":{\"source\":\"demo\"}}"), 202);
        String jobId = field(submitted.body(), "id");
        System.out.println("submitted job " + jobId + " (HTTP 202, Location " + submitted.headers().firstValue("Location").orElse("?") + ")");

        String status = follow(messages, jobId);
        HttpResponse<String> job = http.send(HttpRequest.newBuilder(URI.create(api + "/api/jobs/" + jobId))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println();
        System.out.println("job " + jobId + " " + status + "; stored job and result:");
        System.out.println(indent(job.body()));
        boolean allCompleted = "completed".equals(status);

        // the same message through each built-in template: each completes, even with the offline extractor
        for (String template : new String[] {"news-event", "broker-report", "drawing"}) {
            String templateJob = field(expect(post(http, api + "/api/jobs", token, "{\"text\":" + quote(text) + ",\"project\":"
                    + quote(template) + ",\"metadata\":{\"source\":\"demo\",\"posted_at\":\"2026-10-29T07:00:00Z\"}}"), 202).body(), "id");
            System.out.println("template " + template + ": job " + templateJob);
            String templateStatus = follow(messages, templateJob);
            allCompleted &= "completed".equals(templateStatus);
        }
        socket.abort();
        if (!allCompleted) {
            System.exit(1);
        }
    }

    static HttpResponse<String> post(HttpClient http, String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.uri() + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return response;
    }

    /** Draws a progress bar for each event of the job until its terminal state. */
    static String follow(BlockingQueue<String> messages, String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String message = messages.poll(1, TimeUnit.SECONDS);
            if (message == null || !message.contains(jobId) || !message.contains("\"type\":\"progress\"")) {
                continue;
            }
            int progress = Integer.parseInt(number(message, "progress"));
            String status = field(message, "status");
            String bar = "#".repeat(progress / 4) + ".".repeat(25 - progress / 4);
            System.out.printf("  [%s] %3d%%  %-12s %-10s seq %s%n", bar, progress, field(message, "stage"), status, number(message, "seq"));
            if (status.equals("completed") || status.equals("failed") || status.equals("cancelled")) {
                return status;
            }
        }
        throw new IllegalStateException("job " + jobId + " did not finish within 120 s");
    }

    /** Keeps every text message, in order. */
    static final class Collector implements WebSocket.Listener {
        private final BlockingQueue<String> messages;
        private final StringBuilder partial = new StringBuilder(); // callbacks are sequential

        Collector(BlockingQueue<String> messages) {
            this.messages = messages;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    static String number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(-?\\d+)").matcher(json);
        return m.find() ? m.group(1) : "0";
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    /** Pretty-prints JSON for the terminal (strings are kept intact). */
    static String indent(String json) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"' && (i == 0 || json.charAt(i - 1) != '\\')) {
                inString = !inString;
            }
            if (inString) {
                out.append(c);
                continue;
            }
            switch (c) {
                case '{', '[' -> out.append(c).append('\n').append("  ".repeat(++depth));
                case '}', ']' -> out.append('\n').append("  ".repeat(--depth)).append(c);
                case ',' -> out.append(",\n").append("  ".repeat(depth));
                case ':' -> out.append(": ");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
