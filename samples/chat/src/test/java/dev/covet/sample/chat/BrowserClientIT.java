package dev.covet.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.inject.spi.CDI;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.covet.client.CovetClient;
import dev.covet.websocket.Connection;
import dev.covet.websocket.Connections;
import dev.covet.websocket.Rooms;

/**
 * The library's browser client ({@code /covet/covet.js}, served by the library) in a real headless Chromium,
 * through a proxy that can drop the TCP connection: requests and structured errors, rooms, and reconnection that
 * loses no room message and repeats none, after a dropped connection and after a server-side close; and no
 * reconnection storm when the credentials are refused.
 */
class BrowserClientIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ChatServer chat;
    private static CuttableProxy proxy;
    private WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "BrowserClientIT skipped: Debian's chromium and chromium-driver are not installed");
        // Expiry exactly at exp, so that the expiry case takes seconds (the default tolerance is 30 s).
        System.setProperty("covet.auth.jwt.clock-skew", "0s");
        chat = ChatServer.start("127.0.0.1", 0);
        proxy = new CuttableProxy(chat.port());
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("covet.auth.jwt.clock-skew");
        if (proxy != null) {
            proxy.close();
        }
        if (chat != null) {
            chat.close();
        }
    }

    @BeforeEach
    void open() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage");
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build(), options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        // Any page of the origin will do: the test imports the module into it.
        browser.get("http://127.0.0.1:" + proxy.port() + "/health");
    }

    @AfterEach
    void quit() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** Runs an async script body (it may await; its value is returned as JSON text) with {@code connect} in scope. */
    private String run(String body) {
        return (String) ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                (async () => {
                  const { connect, CovetError } = await import('/covet/covet.js');
                  const token = async (user) => (await (await fetch('/api/token?user=' + user)).json()).token;
                  const until = (condition) => new Promise((resolve) => {
                    const poll = () => condition() ? resolve() : setTimeout(poll, 20);
                    poll();
                  });
                  %s
                })().then((value) => done(JSON.stringify(value)), (e) => done('FAILED ' + e + ' ' + e.stack));
                """.formatted(body));
    }

    private String js(String expression) {
        return String.valueOf(((JavascriptExecutor) browser).executeScript("return " + expression));
    }

    private static String token(String user) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + chat.port() + "/api/token?user="
                + user)).build(), HttpResponse.BodyHandlers.ofString()).body().replaceAll(".*\"token\":\"([^\"]+)\".*",
                "$1");
    }

    @Test
    void theModuleIsServedByTheLibraryWithItsTypes() throws Exception {
        HttpResponse<String> module = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + chat.port()
                + "/covet/covet.js")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(module.statusCode()).isEqualTo(200);
        assertThat(module.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/javascript"));
        assertThat(module.body()).contains("export function connect");
        HttpResponse<String> types = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + chat.port()
                + "/covet/covet.d.ts")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(types.body()).contains("export function connect(url: string, options?: ConnectOptions): Client;");
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + chat.port()
                + "/covet/other.js")).build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
    }

    @Test
    void requestsAreAnsweredAndRefusalsRejectWithTheServersError() {
        String result = run("""
                const client = connect('/ws', { token: await token('ana') });
                const room = await client.rooms.join('tests');
                const ack = await client.request('chat.send', { room: 'tests', text: 'hello' });
                let error;
                try {
                  await client.request('chat.send', { room: 'tests', text: '' });
                } catch (e) {
                  error = e;
                }
                let notJoined;
                try {
                  await client.request('chat.send', { room: 'elsewhere', text: 'hi' });
                } catch (e) {
                  notJoined = e.code + ': ' + e.message;
                }
                await until(() => room.offset >= 1);
                client.close();
                return { ack: ack === undefined, epoch: typeof room.epoch, offset: room.offset,
                  error: error instanceof CovetError, code: error.code, path: error.details[0].path, notJoined,
                  state: client.state };
                """);
        assertThat(result).isEqualTo("{\"ack\":true,\"epoch\":\"string\",\"offset\":1,\"error\":true,"
                + "\"code\":\"validation_failed\",\"path\":\"text\",\"notJoined\":\"forbidden: Join room 'elsewhere' "
                + "first\",\"state\":\"closed\"}");
    }

    @Test
    void aDroppedConnectionAndAServerSideCloseLoseNoRoomMessageAndRepeatNone() throws Exception {
        run("""
                window.seen = [];
                window.client = connect('/ws', { token: await token('bea'), initialDelayMs: 200 });
                const room = await client.rooms.join('blip');
                room.on('chat.message', (message, frame) => seen.push(frame.offset + ':' + message.text));
                return true;
                """);
        try (CovetClient sender = CovetClient.builder(URI.create("ws://127.0.0.1:" + chat.port() + "/ws"))
                .token(token("sam")).build()) {
            sender.join("blip").get(10, TimeUnit.SECONDS);
            post(sender, 1, 3);
            await(() -> js("seen.length").equals("3"));

            proxy.cut();
            await(() -> !js("client.state").equals("connected"));
            post(sender, 4, 6);
            await(() -> js("seen.length").equals("6"));

            Connection bea = CDI.current().select(Connections.class).get().byUser("bea").iterator().next();
            bea.close(1012, "service restart");
            await(() -> js("client.handshakes").equals("3") && js("client.state").equals("connected"));
            post(sender, 7, 9);
            await(() -> js("seen.length").equals("9"));
        }
        assertThat(js("JSON.stringify(seen)")).isEqualTo("[\"1:m1\",\"2:m2\",\"3:m3\",\"4:m4\",\"5:m5\",\"6:m6\","
                + "\"7:m7\",\"8:m8\",\"9:m9\"]");
        assertThat(js("client.handshakes")).isEqualTo("3");
    }

    private static void post(CovetClient sender, int from, int to) throws Exception {
        for (int i = from; i <= to; i++) {
            sender.request("chat.send", Map.of("room", "blip", "text", "m" + i), Void.class).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDeletedRoomIsDroppedAndNotCreatedAfreshByTheNextReconnection() throws Exception {
        Rooms rooms = CDI.current().select(Rooms.class).get();
        try (CovetClient owner = CovetClient.builder(URI.create("ws://127.0.0.1:" + chat.port() + "/ws"))
                .token(token("oda")).build()) {
            owner.create("doomed", Map.of("type", "public")).get(10, TimeUnit.SECONDS);
            run("""
                    window.events = [];
                    window.client = connect('/ws', { token: await token('dee'), initialDelayMs: 200 });
                    const room = await client.rooms.join('doomed');
                    room.on('$room.deleted', (data) => events.push('deleted:' + data.reason));
                    room.on('lost', (error) => events.push('lost:' + error.code));
                    return true;
                    """);
            owner.request("$room.delete", Map.of("room", "doomed"), Void.class).get(10, TimeUnit.SECONDS);
            await(() -> js("events.length").equals("2"));
            proxy.cut();
            await(() -> js("client.handshakes").equals("2") && js("client.state").equals("connected"));
            // A rejoin, were one sent, goes out first on the new connection: this request is answered after it.
            run("await client.request('$room.list', {}); return true;");
        }
        assertThat(js("JSON.stringify(events)")).isEqualTo("[\"deleted:room_deleted\",\"lost:room_deleted\"]");
        assertThat(js("client.rooms.get('doomed') === undefined")).isEqualTo("true");
        assertThat(rooms.info("doomed")).as("not created afresh by a rejoin").isEmpty();
        run("client.close(); return true;");
    }

    @Test
    void refusedCredentialsCauseNoReconnectionStormAndARevokedConnectionStaysClosed() throws Exception {
        String refused = run("""
                const client = connect('/ws', { getToken: () => 'not-a-token' });
                await new Promise((resolve) => setTimeout(resolve, 6000));
                client.close();
                return { handshakes: client.handshakes, state: client.state };
                """);
        int handshakes = Integer.parseInt(refused.replaceAll(".*\"handshakes\":(\\d+).*", "$1"));
        assertThat(handshakes).as("handshakes in 6 s with a refused token: " + refused).isBetween(2, 10);

        run("""
                window.revoked = connect('/ws', { token: await token('rex') });
                await until(() => revoked.state === 'connected');
                return true;
                """);
        Connections connections = CDI.current().select(Connections.class).get();
        // The page may see its handshake complete before the server has registered the connection.
        Awaitility.await("rex registered").atMost(Duration.ofSeconds(10))
                .until(() -> connections.byUser("rex").size() == 1);
        assertThat(connections.disconnect("rex", "logged out")).isEqualTo(1);
        await(() -> js("revoked.state").equals("closed"));
        // No reconnection follows: the first attempt would come within initialDelayMs (500 ms); watch three times that.
        Awaitility.await("no reconnection").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> js("revoked.state + ' ' + revoked.handshakes").equals("closed 1"));
    }

    @Test
    void theTokenIsRefreshedBeforeItExpiresAndAnExpiredConnectionComesBackWithAFreshOne() {
        String refreshed = run("""
                const fresh = (seconds) => async () =>
                  (await (await fetch('/api/token?user=tia&seconds=' + seconds)).json()).token;
                const client = connect('/ws', { getToken: fresh(40), refreshBeforeSeconds: 38 });
                const answer = await new Promise((resolve) => client.on('refreshed', resolve));
                const result = { user: answer.user, later: answer.expiresAt > Date.now() / 1000 + 30,
                  handshakes: client.handshakes, state: client.state };
                client.close();
                return result;
                """);
        assertThat(refreshed).isEqualTo("{\"user\":\"tia\",\"later\":true,\"handshakes\":1,\"state\":\"connected\"}");

        String expired = run("""
                const client = connect('/ws', {
                  token: (await (await fetch('/api/token?user=tom&seconds=2')).json()).token,
                  getToken: async () => (await (await fetch('/api/token?user=tom')).json()).token,
                  refreshBeforeSeconds: -3600 });
                const closed = await new Promise((resolve) => client.on('disconnected', resolve));
                await until(() => client.state === 'connected');
                const result = { code: closed.code, handshakes: client.handshakes };
                client.close();
                return result;
                """);
        assertThat(expired).isEqualTo("{\"code\":4002,\"handshakes\":2}");
    }

    private void await(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .withMessage(() -> "the page's client: " + js("window.client === undefined ? 'none' : client.state"
                        + " + ', handshakes ' + client.handshakes + ', rooms ' + JSON.stringify([...client.rooms.joined"
                        + ".values()].map(r => [r.name, r.offset, r.epoch])) + ', seen ' + JSON.stringify(window.seen)"))
                .until(driver -> condition.getAsBoolean());
    }
}
