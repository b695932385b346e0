import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command-line client of {@code ./distill}, JDK only, run as a single source file:
 * <ul>
 * <li>{@code java scripts/DistillClient.java demo API_URL WS_URL MESSAGE_FILE}: submits a message over
 * REST, follows the job over the WebSocket with a progress bar in the terminal, then prints the
 * stored result;</li>
 * <li>{@code java scripts/DistillClient.java run API_URL WS_URL --user U [--status pending,failed] [--limit N]}:
 * starts an extraction run over the user's eligible jobs (as an admin, trigger {@code cli}) and
 * follows its counters with a progress bar until it ends; exit status 1 when the run failed.</li>
 * </ul>
 * The account comes from {@code DISTILL_USER} and {@code DISTILL_PASSWORD}.
 */
public class DistillClient {
    static final String USER = System.getenv().getOrDefault("DISTILL_USER", "demo");
    static final String PASSWORD = System.getenv("DISTILL_PASSWORD");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "demo" -> demo(args[1], args[2], Files.readString(Path.of(args[3])));
            case "run" -> run(args[1], args[2], java.util.Arrays.copyOfRange(args, 3, args.length));
            default -> {
                System.err.println("usage: DistillClient demo API WS FILE | run API WS --user U [--status S,...] [--limit N]");
                System.exit(2);
            }
        }
    }

    /** Signs in (registering the account the first time), opens the WebSocket and subscribes with {@code subscription}. */
    record Session(String token, WebSocket socket, BlockingQueue<String> messages) {
        static Session open(String api, String ws, boolean register, String subscription) throws Exception {
            String credentials = "{\"username\":" + quote(USER) + ",\"password\":" + quote(PASSWORD) + "}";
            if (register) {
                post(HTTP, api + "/api/auth/register", null, credentials); // 201 the first time, 409 after
            }
            String token = field(expect(post(HTTP, api + "/api/auth/token", null, credentials), 200).body(), "accessToken");
            String ticket = field(expect(post(HTTP, api + "/api/auth/ws-ticket", token, ""), 200).body(), "ticket");
            System.out.println("signed in as " + USER);
            BlockingQueue<String> messages = new LinkedBlockingQueue<>();
            WebSocket socket = HTTP.newWebSocketBuilder()
                    .buildAsync(URI.create(ws + "?ticket=" + ticket), new Collector(messages)).join();
            socket.sendText(subscription, true).join();
            String first;
            do {
                first = messages.poll(10, TimeUnit.SECONDS);
                if (first == null) {
                    throw new IllegalStateException("the gateway did not confirm the subscription");
                }
                if (first.contains("\"type\":\"error\"")) {
                    throw new IllegalStateException("the gateway refused the subscription: " + first);
                }
            } while (!first.contains("\"type\":\"subscribed\""));
            return new Session(token, socket, messages);
        }
    }

    static void demo(String api, String ws, String text) throws Exception {
        HttpClient http = HTTP;
        Session session = Session.open(api, ws, true, "{\"type\":\"subscribe\",\"all\":true}");
        String token = session.token();
        BlockingQueue<String> messages = session.messages();
        WebSocket socket = session.socket();

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

    /** Starts a run over one user's eligible jobs and draws its counters until it ends. */
    static void run(String api, String ws, String[] options) throws Exception {
        String user = null;
        String statuses = null;
        String limit = null;
        for (int i = 0; i + 1 < options.length; i += 2) {
            switch (options[i]) {
                case "--user" -> user = options[i + 1];
                case "--status" -> statuses = options[i + 1];
                case "--limit" -> limit = options[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + options[i]);
            }
        }
        if (user == null) {
            throw new IllegalArgumentException("--user is required");
        }
        StringBuilder scope = new StringBuilder("{\"userId\":" + quote(user) + ",\"trigger\":\"cli\",\"triggerRef\":"
                + quote("distill run by " + USER));
        if (statuses != null) {
            scope.append(",\"statuses\":[");
            String[] names = statuses.split(",");
            for (int i = 0; i < names.length; i++) {
                scope.append(i > 0 ? "," : "").append(quote(names[i].strip()));
            }
            scope.append(']');
        }
        if (limit != null) {
            scope.append(",\"limit\":").append(Integer.parseInt(limit));
        }
        scope.append('}');
        Session session = Session.open(api, ws, false, "{\"type\":\"subscribe\",\"runs\":true}");
        String run = expect(post(HTTP, api + "/api/runs", session.token(), scope.toString()), 202).body();
        String runId = field(run, "id");
        System.out.println("run " + runId + " over " + number(run, "considered") + " jobs of " + user);
        String status = field(run, "status");
        String shown = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(60);
        while (!List.of("succeeded", "failed", "canceled").contains(status)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + runId + " did not end within 60 min");
            }
            String message = session.messages().poll(2, TimeUnit.SECONDS);
            if (message != null && !message.contains(runId)) {
                continue;
            }
            // a message, or two quiet seconds: the stored run says where it is either way
            run = message != null ? message : HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/runs/" + runId))
                    .header("Authorization", "Bearer " + session.token()).build(), HttpResponse.BodyHandlers.ofString()).body();
            status = field(run, "status");
            int considered = Integer.parseInt(number(run, "considered"));
            int processed = Integer.parseInt(number(run, "processed"));
            int percent = considered == 0 ? 100 : processed * 100 / considered;
            String line = String.format("  [%s] %3d%%  %-9s processed %d/%d, extracted %s, inserted %s, updated %s, points %s",
                    "#".repeat(percent / 4) + ".".repeat(25 - percent / 4), percent, status, processed, considered,
                    number(run, "extracted"), number(run, "inserted"), number(run, "updated"), number(run, "pointsInserted"));
            if (!line.equals(shown)) {
                System.out.println(line);
                shown = line;
            }
        }
        session.socket().abort();
        System.out.println("run " + runId + " " + status);
        if (!status.equals("succeeded")) {
            System.exit(1);
        }
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
