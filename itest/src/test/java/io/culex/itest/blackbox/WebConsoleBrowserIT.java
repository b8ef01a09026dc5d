package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The MQTT page in a real browser: Debian's headless Chromium through {@code /usr/bin/chromedriver}
 * ({@code itest/install-test-tools.sh} installs both). An administrator logs in, sees a connected client and kicks
 * it (the client sees the disconnect), installs and uninstalls a feature, and adds a bridge to a port where nothing
 * listens (it shows as disconnected). Screenshots go to {@code itest/target/webconsole-*.png}.
 */
class WebConsoleBrowserIT {

    private static final String PASSWORD = "browser-pw";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void anAdministratorOperatesTheBrokerFromTheMqttPage() throws Exception {
        int mqttPort = CulexProcess.freePort();
        int httpPort = CulexProcess.freePort();
        int nothingListens = CulexProcess.freePort();
        try (CulexProcess culex = CulexProcess.install()) {
            Path conf = culex.writeConfig("browser.conf", String.join("\n",
                    "listener " + mqttPort + " 127.0.0.1",
                    "allow_anonymous true",
                    "admin_listener " + httpPort,
                    "admin_user admin " + PASSWORD, // a clear password: hashed by the config bundle
                    ""));
            culex.startAndAwait(conf, mqttPort);
            culex.awaitLog("Web console available");

            WatchedClient client = WatchedClient.connect(mqttPort, "browser-visible-client");

            WebDriver browser = chromium();
            try {
                WebDriverWait wait = new WebDriverWait(browser, WAIT);
                // log in: Basic authentication, the credential in the URL as a user would type it once
                browser.get("http://admin:" + PASSWORD + "@127.0.0.1:" + httpPort + "/system/console/mqtt");
                By clientRow = By.cssSelector("#clients tr[data-client-id='browser-visible-client']");
                wait.until(ExpectedConditions.visibilityOfElementLocated(clientRow));
                screenshot(browser, "webconsole-1-client.png");
                List<String> cells = browser.findElement(clientRow).findElements(By.tagName("td")).stream()
                        .map(WebElement::getText).collect(Collectors.toList());
                assertTrue(cells.contains("60"), "Paho's default keep alive of 60 s is shown: " + cells);

                browser.findElement(clientRow).findElement(By.cssSelector("button.kick")).click();
                assertTrue(client.awaitLost(10), "the MQTT client sees the disconnect");
                wait.until(ExpectedConditions.invisibilityOfElementLocated(clientRow));
                assertTrue(browser.findElement(By.id("message")).getText().contains("disconnected"));

                featureState(browser, wait, "shell", "available");
                browser.findElement(By.cssSelector("#features tr[data-feature='shell'] button.feature-install")).click();
                featureState(browser, wait, "shell", "installed");
                screenshot(browser, "webconsole-2-feature-installed.png");
                culex.awaitLog("Feature shell installed");
                browser.findElement(By.cssSelector("#features tr[data-feature='shell'] button.feature-uninstall"))
                        .click();
                featureState(browser, wait, "shell", "available");
                culex.awaitLog("Feature shell uninstalled");

                browser.findElement(By.id("bridge-name")).sendKeys("upstream");
                browser.findElement(By.id("bridge-addresses")).sendKeys("127.0.0.1:" + nothingListens);
                browser.findElement(By.id("bridge-topics")).sendKeys("sensors/# out 1");
                browser.findElement(By.id("bridge-save")).click();
                By bridgeState = By.cssSelector("#bridges tr[data-bridge='upstream'] .bridge-state");
                wait.until(ExpectedConditions.textToBePresentInElementLocated(bridgeState, "disconnected"));
                WebElement bridge = browser.findElement(By.cssSelector("#bridges tr[data-bridge='upstream']"));
                assertTrue(bridge.getText().contains("127.0.0.1:" + nothingListens), bridge.getText());
                assertTrue(bridge.getText().contains("web console"), "its source: " + bridge.getText());
                culex.awaitLog("Bridge upstream started");
                screenshot(browser, "webconsole-3-bridge.png");
            } catch (Exception | AssertionError e) {
                screenshot(browser, "webconsole-failure.png"); // what the page showed when it went wrong
                throw e;
            } finally {
                browser.quit();
            }
            client.close();
        }
    }

    private static void featureState(WebDriver browser, WebDriverWait wait, String feature, String state) {
        By cell = By.cssSelector("#features tr[data-feature='" + feature + "'] .feature-state");
        wait.until(ExpectedConditions.textToBe(cell, state));
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // --no-sandbox: the tests run as root here, where Chromium's sandbox refuses to start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1800");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Paths.get("/usr/bin/chromedriver").toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static void screenshot(WebDriver browser, String name) throws Exception {
        Path target = Paths.get(System.getProperty("culex.itest.target", "target"));
        Files.createDirectories(target);
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
