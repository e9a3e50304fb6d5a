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
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        try (Client client = Client.open(dashboard.port(), token("pinger", "member"))) {
            for (int i = 0; i < 5; i++) {
                assertThat(client.request("demo.ping", "\"hello\"")).contains("\"data\":\"hello\"");
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
        try (Client client = Client.open(dashboard.port(), token("grafana", "member"))) {
            client.request("demo.ping", "\"x\"");
            String scrape = get("/metrics");
            Matcher names = Pattern.compile("covet_[a-z_]+").matcher(
                    Files.readString(Path.of("..", "..", "docs", "grafana", "covet.json")));
            int checked = 0;
            while (names.find()) {
                assertThat(scrape).as("the dashboard's " + names.group()).containsPattern("(?m)^" + names.group() + "\\{");
                checked++;
            }
            assertThat(checked).isGreaterThan(10);
            assertThat(scrape).containsPattern("(?m)^covet_handler_seconds\\{.*quantile=\"0.99\"");
        }
    }

    @Test
    void onlyAnAdminMayWatchTheFeed() throws Exception {
        try (Client admin = Client.open(dashboard.port(), token("ada", "admin"))) {
            assertThat(admin.request("dashboard.watch", null)).contains("\"open\":").contains("\"handlers\":");
            assertThat(admin.next("dashboard.tick")).contains("\"rooms\":");
        }
        try (Client member = Client.open(dashboard.port(), token("eve", "member"))) {
            assertThat(member.request("dashboard.watch", null)).contains("\"code\":\"forbidden\"");
            assertThat(member.request("$room.join", "{\"room\":\"ops\"}")).contains("\"code\":\"forbidden\"");
            assertThat(member.request("demo.enter", "\"ops\"")).contains("\"code\":\"forbidden\"");
            member.assertNoTick();
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

    /** A small JDK WebSocket client speaking the envelope. */
    private static final class Client implements WebSocket.Listener, AutoCloseable {
        private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;
        private int ids;

        static Client open(int port, String token) throws Exception {
            Client client = new Client();
            client.socket = HTTP.newWebSocketBuilder().subprotocols("covet", "covet.bearer." + token)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), client).get(10, TimeUnit.SECONDS);
            return client;
        }

        String request(String event, String data) throws Exception {
            String id = "r" + ++ids;
            socket.sendText("{\"event\":\"" + event + "\",\"id\":\"" + id + "\"" + (data == null ? ""
                    : ",\"data\":" + data) + "}", true).get(10, TimeUnit.SECONDS);
            return next("\"replyTo\":\"" + id + "\"");
        }

        String next(String containing) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                String frame = frames.poll(100, TimeUnit.MILLISECONDS);
                if (frame != null && frame.contains(containing)) {
                    return frame;
                }
            }
            throw new AssertionError("no frame with " + containing + " within 10 s");
        }

        void assertNoTick() throws InterruptedException {
            Thread.sleep(1500);
            assertThat(frames).noneMatch(frame -> frame.contains("dashboard.tick"));
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }
}
