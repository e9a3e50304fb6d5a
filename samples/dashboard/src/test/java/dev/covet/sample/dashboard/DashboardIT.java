package dev.covet.sample.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.JsonObject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.covet.client.CovetClient;
import dev.covet.client.CovetClientException;

/**
 * The dashboard sample over the wire: its Prometheus endpoint shows Covet's meters moving with traffic, only an
 * admin may watch the live feed, and in a real headless Chromium the charts move while the page's load runs.
 */
class DashboardIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static DashboardServer dashboard;

    @BeforeAll
    static void start() throws Exception {
        dashboard = DashboardServer.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + dashboard.port() + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private static String token(String user, String role) throws Exception {
        return get("/api/token?user=" + user + "&role=" + role).replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
    }

    /** @return a sample's value in a Prometheus scrape, 0 when absent */
    private static double sample(String scrape, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    @Test
    void thePrometheusEndpointShowsCovetsMetersMovingWithTraffic() throws Exception {
        String before = get("/metrics");
        assertThat(before).contains("covet_connections{app=\"/\"}").contains("# TYPE covet_messages_in_total counter");
        try (CovetClient client = open("pinger", "member")) {
            for (int i = 0; i < 5; i++) {
                assertThat(client.request("demo.ping", "hello", String.class).get(10, TimeUnit.SECONDS))
                        .isEqualTo("hello");
            }
            String during = get("/metrics");
            assertThat(sample(during, "covet_connections{app=\"/\"}")).isGreaterThanOrEqualTo(1);
            assertThat(sample(during, "covet_messages_in_total{app=\"/\"}"))
                    .isGreaterThanOrEqualTo(sample(before, "covet_messages_in_total{app=\"/\"}") + 5);
            assertThat(sample(during, "covet_handler_seconds_count{app=\"/\",event=\"demo.ping\",outcome=\"success\"}"))
                    .isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void everySeriesTheGrafanaDashboardQueriesIsInTheScrape() throws Exception {
        try (CovetClient client = open("grafana", "member")) {
            client.request("demo.ping", "x", String.class).get(10, TimeUnit.SECONDS);
            String scrape = get("/metrics");
            Matcher names = Pattern.compile("covet_[a-z_]+").matcher(
                    Files.readString(Path.of("..", "..", "docs", "grafana", "covet.json")));
            int checked = 0;
            while (names.find()) {
                assertThat(scrape).as("the dashboard's " + names.group()).containsPattern("(?m)^" + names.group() + "\\{");
                checked++;
            }
            assertThat(checked).isGreaterThan(10);
            assertThat(scrape).containsPattern("(?m)^covet_handler_seconds_bucket\\{.*event=\"demo.ping\".*le=\"\\+Inf\"");
        }
    }

    @Test
    void onlyAnAdminMayWatchTheFeed() throws Exception {
        try (CovetClient admin = open("ada", "admin")) {
            List<JsonObject> ticks = new CopyOnWriteArrayList<>();
            admin.room("ops").on("dashboard.tick", JsonObject.class, tick -> ticks.add(tick.data()));
            assertThat(admin.request("dashboard.watch", null, JsonObject.class).get(10, TimeUnit.SECONDS))
                    .containsKeys("open", "handlers", "rooms");
            Awaitility.await("a tick").atMost(Duration.ofSeconds(10)).until(() -> !ticks.isEmpty());
            assertThat(ticks.get(0)).containsKeys("open", "messagesIn", "rooms");
        }
        try (CovetClient member = open("eve", "member"); CovetClient watcher = open("wes", "admin")) {
            List<JsonObject> ticks = new CopyOnWriteArrayList<>();
            member.room("ops").on("dashboard.tick", JsonObject.class, tick -> ticks.add(tick.data()));
            List<JsonObject> watched = new CopyOnWriteArrayList<>();
            watcher.room("ops").on("dashboard.tick", JsonObject.class, tick -> watched.add(tick.data()));
            watcher.request("dashboard.watch", null, JsonObject.class).get(10, TimeUnit.SECONDS);
            assertThat(refusal(member.request("dashboard.watch", null, JsonObject.class))).isEqualTo("forbidden");
            assertThat(refusal(member.request("$room.join", Map.of("room", "ops"), JsonObject.class)))
                    .isEqualTo("forbidden");
            assertThat(refusal(member.request("demo.enter", "ops", Void.class))).isEqualTo("forbidden");
            // Two more ticks reached an admin after the member's attempts; none reached the member.
            int before = watched.size();
            Awaitility.await("two ticks to the admin").atMost(Duration.ofSeconds(10))
                    .until(() -> watched.size() >= before + 2);
            assertThat(ticks).isEmpty();
        }
        assertThat(upgradeWithoutToken()).isEqualTo(401);
    }

    @Test
    void theChartsMoveWhileThePagesLoadRunsAndAMemberSeesNothing() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "skipped: Debian's chromium and chromium-driver are not installed");
        WebDriver admin = browser("/?user=ada&role=admin");
        WebDriver member = browser("/?user=eve&role=member");
        try {
            wait(admin).until(ExpectedConditions.textToBe(By.cssSelector("[data-testid=status]"), "watching as ada"));
            wait(member).until(ExpectedConditions.textMatches(By.cssSelector("[data-testid=status]"),
                    Pattern.compile("forbidden: .*")));
            wait(admin).until(b -> number(b, "ticks") >= 2);
            admin.findElement(By.cssSelector("[data-testid=load]")).click();
            wait(admin).until(b -> number(b, "in-rate") > 50 && number(b, "open") >= 20);
            wait(admin).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("[data-testid=rooms] tr[data-room='load-0']")));
            admin.findElement(By.cssSelector("[data-testid=burst]")).click();
            wait(admin).until(b -> number(b, "rate-limited") > 0);
            admin.findElement(By.cssSelector("[data-testid=refused]")).click();
            wait(admin).until(b -> number(b, "refusals") >= 5);
            long points = (Long) ((JavascriptExecutor) admin).executeScript(
                    "return window.dashboard.state.data.rates[1].filter(v => v > 0).length;");
            assertThat(points).as("seconds with messages charted").isPositive();
            assertThat(number(member, "ticks")).as("the member's page got no figures").isZero();
        } finally {
            admin.quit();
            member.quit();
        }
    }

    private static long number(WebDriver browser, String testid) {
        String text = browser.findElement(By.cssSelector("[data-testid=" + testid + "]")).getText();
        return text.matches("\\d+") ? Long.parseLong(text) : -1;
    }

    private static WebDriver browser(String path) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        browser.get("http://127.0.0.1:" + dashboard.port() + path);
        return browser;
    }

    private static WebDriverWait wait(WebDriver browser) {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    /** A WebSocket handshake without any credential, over a plain socket; returns the status code. */
    private static int upgradeWithoutToken() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", dashboard.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            return Integer.parseInt(line.toString().split(" ")[1]);
        }
    }

    private static CovetClient open(String user, String role) throws Exception {
        CovetClient client = CovetClient.builder(URI.create("ws://127.0.0.1:" + dashboard.port() + "/ws"))
                .token(token(user, role)).build();
        client.connected().get(10, TimeUnit.SECONDS);
        return client;
    }

    private static String refusal(java.util.concurrent.CompletableFuture<?> answer) {
        try {
            answer.get(10, TimeUnit.SECONDS);
            return "answered";
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause() instanceof CovetClientException refused ? refused.code() : e.getCause().toString();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
