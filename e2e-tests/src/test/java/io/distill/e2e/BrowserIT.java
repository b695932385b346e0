package io.distill.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.distill.testinfra.Fixtures;
import io.distill.testinfra.KraftBroker;
import io.distill.testinfra.LocalPostgres;
import io.distill.testinfra.Ports;
import io.distill.testinfra.Resources;
import io.distill.testinfra.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A person at the web page, in Debian's Chromium driven by Playwright: sign up, upload two files,
 * watch both progress bars reach 100 and the results appear without a reload, cancel a third job,
 * read the news event a message made with its routing decision; then an admin starts a run over that
 * person's waiting jobs and watches its counters reach the end.
 */
class BrowserIT {
    static LocalPostgres pg;
    static KraftBroker kafka;
    static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        pg = LocalPostgres.start();
        kafka = KraftBroker.start();
        int gatewayPort = Ports.free();
        stack = new Stack(pg, kafka.bootstrapServers())
                .startApi(
                        Map.of("distill.client.progress-socket-url", "ws://127.0.0.1:" + gatewayPort + "/ws/progress"));
        // slow enough that a running job can still be cancelled by hand
        stack.startWorker("browser-worker", Map.of("distill.extraction.offline.latency", "4s"));
        stack.startGateway(gatewayPort);
    }

    @AfterAll
    static void stop() throws Exception {
        Resources.closeAll(stack, kafka, pg);
    }

    @Test
    void signInUploadWatchProgressReadResultsAndCancel() throws Exception {
        Path dir = Files.createTempDirectory("browser-files-");
        Path pdf = Files.write(dir.resolve("inspection-report.pdf"), Fixtures.textPdf());
        Path dxf = Files.write(dir.resolve("pump-housing.dxf"), Fixtures.dxf());
        Path screenshots = Path.of("target/browser");
        Files.createDirectories(screenshots);
        try (Playwright playwright = Playwright.create(
                        new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                Browser browser = playwright
                        .chromium()
                        .launch(new BrowserType.LaunchOptions()
                                .setExecutablePath(Paths.get(System.getProperty("chromium.path", "/usr/bin/chromium")))
                                .setHeadless(true)
                                .setArgs(List.of(
                                        "--no-sandbox",
                                        "--disable-gpu",
                                        "--disable-dev-shm-usage",
                                        "--disable-background-networking",
                                        "--disable-component-update",
                                        "--disable-sync",
                                        "--no-first-run",
                                        "--disable-quic")))) {
            Page page = browser.newPage();
            // what the page does is evidence when a step fails
            page.onConsoleMessage(
                    message -> System.out.println("[browser console] " + message.type() + ": " + message.text()));
            page.onResponse(response -> {
                if (response.status() >= 400) {
                    System.out.println("[browser] " + response.request().method() + " " + response.url() + " → "
                            + response.status());
                }
            });
            page.setDefaultTimeout(60_000);
            // jobs take seconds here (the worker is slowed on purpose): wait for the page as a person would
            com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(60_000);
            page.navigate(stack.api().url("/"));

            String person = "browser-" + UUID.randomUUID().toString().substring(0, 8);
            page.fill("#username", person);
            page.fill("#password", "a long enough password");
            page.click("#register");
            assertThat(page.locator("#connection")).hasText("live");

            page.setInputFiles("#files", new Path[] {pdf, dxf});
            Locator completed = page.locator("tr.job .status-completed");
            assertThat(completed).hasCount(2);
            assertThat(page.locator("tr.job progress")).hasCount(2);
            for (Locator bar : page.locator("tr.job progress").all()) {
                assertThat(bar).hasJSProperty("value", 100);
            }

            // the last completed job's result is shown: fields with confidence and highlighted evidence
            assertThat(page.locator("#result table.fields")).isVisible();
            page.locator("tr.job", new Page.LocatorOptions().setHasText("completed"))
                    .first()
                    .click();
            assertThat(page.locator("#result tr[data-field='title'] mark")).isVisible();

            page.fill("#text", "Third job, to be cancelled: contact ops@example.com before 2026-12-01.");
            page.click("#submit button[type=submit]");
            Locator third = page.locator("tr.job").first();
            assertThat(third.locator(".cancel")).isVisible();
            third.locator(".cancel").click();
            assertThat(third.locator(".status")).hasText("cancelled");
            assertThat(completed).hasCount(2);

            // filter the table by status
            page.selectOption("#status-filter", "cancelled");
            assertThat(page.locator("tr.job:visible")).hasCount(1);
            page.selectOption("#status-filter", "");
            assertThat(page.locator("tr.job:visible")).hasCount(3);

            // a news message makes a news event: its message and the routing decision are shown
            page.selectOption("#project", "news-event");
            page.fill(
                    "#text", "BREAKING: the central bank cuts its deposit rate by 25 bp to 1.75%, effective 12 June.");
            page.click("#submit button[type=submit]");
            assertThat(completed).hasCount(3);
            page.click(".records-tab[data-kind='news-events']");
            assertThat(page.locator("#records tr.record")).hasCount(1);
            assertThat(page.locator("#records tr.details")).containsText("→ create (");
            page.click(".records-tab[data-kind='drawings']");
            assertThat(page.locator("#records")).hasText("None yet."); // the uploads went to the generic project
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(screenshots.resolve("distill.png"))
                    .setFullPage(true));

            // jobs waiting for a run (a retry due tomorrow), then an admin runs them from the page
            stack.db()
                    .update(
                            "insert into extraction_jobs (id, user_id, source_kind, format, source_text, enqueued_at, "
                                    + "next_retry_at) select gen_random_uuid(), lower(?), 'message', 'text', "
                                    + "'Waiting report ' || g || ': revenue EUR 10.', now(), now() + interval '1 day' "
                                    + "from generate_series(1, 3) g",
                            person);
            String admin = "ops-" + UUID.randomUUID().toString().substring(0, 8);
            stack.grantAdmin(admin);
            page.click("#sign-out");
            page.fill("#username", admin);
            page.fill("#password", stack.password());
            page.click("#sign-in button[type=submit]");
            assertThat(page.locator("#runs-section")).isVisible();
            assertThat(page.locator("#connection")).hasText("live");
            page.fill("#run-user", person.toLowerCase(java.util.Locale.ROOT));
            page.click("#start-run button[type=submit]");
            Locator run = page.locator("tr.run").first();
            assertThat(run.locator(".status")).hasText("succeeded");
            assertThat(run).containsText("3/3");
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(screenshots.resolve("distill-runs.png"))
                    .setFullPage(true));
        }
    }
}
