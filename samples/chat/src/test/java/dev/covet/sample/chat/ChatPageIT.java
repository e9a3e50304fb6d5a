package dev.covet.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.covet.websocket.impl.RedisProcess;

/**
 * The chat page in a real headless Chromium (Debian's, driven by Debian's chromedriver) against the embedded sample.
 */
class ChatPageIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static ChatServer chat;
    private final List<WebDriver> browsers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "ChatPageIT skipped: Debian's chromium and chromium-driver are not installed");
        chat = ChatServer.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() throws Exception {
        if (chat != null) {
            chat.close();
        }
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(WebDriver::quit);
    }

    @Test
    void aNewcomerLandsInTheLobbyAndChatsWithJoinNoticesTypingIndicatorAndLeaveNotice() {
        WebDriver alice = enter("alice");
        wait(alice).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-testid=rooms] button.active[data-room='lobby']")));
        wait(alice).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-testid=public-rooms] button[data-room='lobby']")));
        waitForMessage(alice, "alice joined");

        WebDriver bob = enter("bob");
        join(bob, "lobby");
        waitForMessage(alice, "bob joined");

        bob.findElement(By.cssSelector("[data-testid=text]")).sendKeys("hello from bob");
        wait(alice).until(ExpectedConditions.textToBe(By.cssSelector("[data-testid=typing]"), "bob is typing…"));
        bob.findElement(By.cssSelector("[data-testid=send]")).click();

        waitForMessage(alice, "bobhello from bob");
        waitForMessage(bob, "bobhello from bob");
        wait(alice).until(ExpectedConditions.textToBe(By.cssSelector("[data-testid=typing]"), ""));

        bob.quit();
        browsers.remove(bob);
        waitForMessage(alice, "bob left");
        assertThat(messages(alice)).containsExactly("alice joined", "bob joined", "bobhello from bob", "bob left");
    }

    @Test
    void anOwnerCreatesAPrivateRoomInvitesMutesAndKicks() {
        WebDriver alice = enter("alice");
        alice.findElement(By.cssSelector("[data-testid=new-room]")).sendKeys("team");
        new Select(alice.findElement(By.cssSelector("[data-testid=new-type]"))).selectByValue("private");
        alice.findElement(By.cssSelector("[data-testid=create]")).click();
        wait(alice).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-testid=rooms] button.active[data-room='team']")));
        waitForPresence(alice, "aliceowner");

        WebDriver bob = enter("bob");
        join(bob, "hall");
        join(bob, "team", false);
        waitForMessage(bob, "forbidden: Room 'team' is private");

        alice.findElement(By.cssSelector("[data-testid=invite-name]")).sendKeys("bob");
        alice.findElement(By.cssSelector("[data-testid=invite]")).click();
        waitForMessage(bob, "You are invited to team");
        join(bob, "team");
        waitForPresence(alice, "bobmember");

        alice.findElement(By.cssSelector("[data-testid='mute-bob']")).click();
        waitForMessage(alice, "bob muted");
        bob.findElement(By.cssSelector("[data-testid=text]")).sendKeys("can anyone hear me");
        bob.findElement(By.cssSelector("[data-testid=send]")).click();
        waitForMessage(bob, "forbidden: You are muted in 'team'");
        assertThat(messages(alice)).noneMatch(m -> m.contains("can anyone hear me"));

        alice.findElement(By.cssSelector("[data-testid='kick-bob']")).click();
        waitForMessage(bob, "You were kicked from team");
        wait(alice).until(b -> !presence(b).contains("bobmember"));
    }

    @Test
    void aNetworkBlipLosesNoMessage() {
        WebDriver alice = enter("alice");
        join(alice, "blip");
        WebDriver bob = enter("bob");
        join(bob, "blip");
        waitForMessage(alice, "bob joined");

        // Closed the way a rate-limited connection is (4029): the client then stays away at least overloadedDelayMs
        // (5 s), so that bob's messages are certainly sent while alice is disconnected.
        ((JavascriptExecutor) alice).executeScript("state.client.socket.close(4029, 'test: connection cut')");
        wait(alice).until(ExpectedConditions.textToBe(By.cssSelector("[data-testid=status]"), "reconnecting…"));
        for (String text : List.of("first while away", "second while away")) {
            bob.findElement(By.cssSelector("[data-testid=text]")).sendKeys(text);
            bob.findElement(By.cssSelector("[data-testid=send]")).click();
            waitForMessage(bob, "bob" + text);
        }
        wait(alice).until(ExpectedConditions.textToBe(By.cssSelector("[data-testid=status]"), "online (recovered)"));
        bob.findElement(By.cssSelector("[data-testid=text]")).sendKeys("after the blip");
        bob.findElement(By.cssSelector("[data-testid=send]")).click();
        waitForMessage(alice, "bobafter the blip");
        List<String> seen = messages(alice).stream().filter(m -> m.startsWith("bob") && !m.contains("joined")).toList();
        assertThat(seen).containsExactly("bobfirst while away", "bobsecond while away", "bobafter the blip");
        assertThat(messages(alice)).noneMatch(m -> m.startsWith("Some messages could not be recovered"));
    }

    @Test
    void pagesOnTwoNodesSharingOneRedisAreOneChat() throws Exception {
        try (RedisProcess redis = RedisProcess.start();
             ChatNode one = ChatNode.start("page-one", Map.of("COVET_CLUSTER_REDIS_URI", redis.uri()));
             ChatNode two = ChatNode.start("page-two", Map.of("COVET_CLUSTER_REDIS_URI", redis.uri()))) {
            WebDriver ann = enter(one.page(), "ann");
            join(ann, "bridge");
            WebDriver ben = enter(two.page(), "ben");
            join(ben, "bridge");
            waitForMessage(ann, "ben joined");
            waitForPresence(ann, "benmember");
            waitForPresence(ben, "annmember");

            ben.findElement(By.cssSelector("[data-testid=text]")).sendKeys("across nodes");
            ben.findElement(By.cssSelector("[data-testid=send]")).click();
            waitForMessage(ann, "benacross nodes");
            ann.findElement(By.cssSelector("[data-testid=text]")).sendKeys("and back");
            ann.findElement(By.cssSelector("[data-testid=send]")).click();
            waitForMessage(ben, "annand back");
            waitForMessage(ann, "annand back");
            assertThat(messages(ann).stream().filter(m -> m.endsWith("across nodes") || m.endsWith("and back")))
                    .containsExactly("benacross nodes", "annand back");
        }
    }

    private WebDriver enter(String name) {
        return enter("http://127.0.0.1:" + chat.port() + "/", name);
    }

    private WebDriver enter(String page, String name) {
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        browsers.add(browser);
        browser.get(page);
        browser.findElement(By.cssSelector("[data-testid=name]")).sendKeys(name);
        browser.findElement(By.cssSelector("[data-testid=enter]")).click();
        wait(browser).until(ExpectedConditions.textToBe(By.cssSelector("[data-testid=status]"), "online"));
        // The page settles once it has landed in the lobby and listed the public rooms (both re-render the side
        // panel): clicking before that may hit a panel that is still moving.
        wait(browser).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-testid=rooms] button.active[data-room='lobby']")));
        wait(browser).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-testid=public-rooms] button[data-room='lobby']")));
        return browser;
    }

    private static void join(WebDriver browser, String room) {
        join(browser, room, true);
    }

    private static void join(WebDriver browser, String room, boolean admitted) {
        browser.findElement(By.cssSelector("[data-testid=room-name]")).clear();
        browser.findElement(By.cssSelector("[data-testid=room-name]")).sendKeys(room);
        browser.findElement(By.cssSelector("[data-testid=join]")).click();
        if (admitted) {
            wait(browser).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("[data-testid=rooms] button.active[data-room='" + room + "']")));
        }
    }

    private static void waitForPresence(WebDriver browser, String entry) {
        wait(browser).until(b -> presence(b).contains(entry));
    }

    /** The People list as "userrole" strings (buttons excluded). */
    @SuppressWarnings("unchecked")
    private static List<String> presence(WebDriver browser) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('[data-testid=presence] li')]"
                        + ".map(li => li.querySelector('.who').textContent + li.querySelector('.role').textContent);");
    }

    private static void waitForMessage(WebDriver browser, String text) {
        wait(browser).until(b -> messages(b).contains(text));
    }

    /** Reads the list in one script call: the page re-renders it as frames arrive. */
    @SuppressWarnings("unchecked")
    private static List<String> messages(WebDriver browser) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('[data-testid=messages] li')].map(li => li.textContent);");
    }

    private static WebDriverWait wait(WebDriver browser) {
        return new WebDriverWait(browser, Duration.ofSeconds(10));
    }
}
