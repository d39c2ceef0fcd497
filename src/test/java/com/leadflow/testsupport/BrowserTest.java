package com.leadflow.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Browser tests: the whole application on a random port (H2, demo users, the demo profile's
 * settings but no demo data) driven by a headless Debian Chromium through its chromedriver.
 * Every browser test extends this class, so all of them share one Spring context.
 *
 * <p>Each test gets a fresh browser ({@link #driver}, English, 1366×768) and may open more with
 * {@link #newBrowser}; all are closed after the test. Selenium Manager is never asked for
 * anything: the browser and the driver are the system's ({@code /usr/bin/chromium},
 * {@code /usr/bin/chromedriver}, or {@code CHROMIUM_BIN} / {@code CHROMEDRIVER_BIN}).
 *
 * <p>Without them the tests are skipped, unless {@code LEADFLOW_BROWSER_TESTS=required} (as in
 * CI), where they fail.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({ "demo", "test" })
public abstract class BrowserTest {

	public static final String REQUIRED = "LEADFLOW_BROWSER_TESTS";

	static final Path CHROMIUM = Path.of(env("CHROMIUM_BIN", "/usr/bin/chromium"));

	static final Path CHROMEDRIVER = Path.of(env("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"));

	/** Where {@link #screenshot} writes: the README embeds these. */
	public static final Path SCREENSHOTS = Path.of("docs", "screenshots");

	/** A desktop and a phone, as the pages must work on both. */
	public record Window(int width, int height, boolean phone) {

		public static final Window DESKTOP = new Window(1366, 768, false);

		public static final Window PHONE = new Window(375, 812, true);
	}

	/**
	 * Selenium warns on every start that it has no DevTools binding for this Chromium; the tests use
	 * WebDriver only. Held here so java.util.logging keeps the setting.
	 */
	private static final List<java.util.logging.Logger> QUIET = List.of(
			java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
			java.util.logging.Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"));

	static {
		QUIET.forEach(logger -> logger.setLevel(Level.SEVERE));
	}

	@LocalServerPort
	private int port;

	/** A browser for the test: English, 1366×768. */
	protected WebDriver driver;

	private final List<WebDriver> browsers = new ArrayList<>();

	private final List<Path> profiles = new ArrayList<>();

	/**
	 * Checked before each test rather than once per class, so a skipped run lists every test as
	 * skipped with the reason (JUnit reports a class-level abort as "0 tests run").
	 */
	@BeforeEach
	void openBrowser() {
		if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
			String message = "browser tests not run: chromium/chromedriver not installed (looked for " + CHROMIUM + " and "
					+ CHROMEDRIVER + ")";
			if ("required".equalsIgnoreCase(System.getenv(REQUIRED))) {
				fail(message + ", but " + REQUIRED + "=required");
			}
			Assumptions.abort(message);
		}
		driver = newBrowser("en", Window.DESKTOP);
	}

	@AfterEach
	void closeBrowsers() {
		browsers.forEach(WebDriver::quit);
		browsers.clear();
		profiles.forEach(BrowserTest::deleteQuietly);
		profiles.clear();
		// Tests that make history in the past move the engine clock; the next test starts in the present.
		ClockUtil.reset();
	}

	/**
	 * A new headless browser sending {@code Accept-Language: language} with this window; closed
	 * after the test. A phone is emulated (Chrome's windows are never narrower than 500 px).
	 */
	protected WebDriver newBrowser(String language, Window window) {
		Path profile;
		try {
			profile = Files.createTempDirectory("leadflow-chromium-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		profiles.add(profile);
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--no-default-browser-check", "--disable-extensions", "--hide-scrollbars", "--user-data-dir=" + profile, "--lang=" + language,
				"--accept-lang=" + language, "--window-size=" + window.width() + "," + window.height());
		options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
		if (window.phone()) {
			options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
					Map.of("width", window.width(), "height", window.height(), "pixelRatio", 2.0, "touch", true)));
		}
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver browser = new ChromeDriver(service, options);
		browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
		browsers.add(browser);
		return browser;
	}

	protected String baseUrl() {
		return "http://localhost:" + port;
	}

	protected String url(String path) {
		return baseUrl() + path;
	}

	/** Logs the user in through the login form (demo users' password is their id). */
	protected void login(String user) {
		login(driver, user, user);
	}

	protected void login(WebDriver browser, String user, String password) {
		browser.get(url("/login"));
		browser.findElement(By.id("username")).sendKeys(user);
		browser.findElement(By.id("password")).sendKeys(password);
		browser.findElement(By.cssSelector("form button[type=submit]")).click();
		waitFor(browser).until(b -> !b.getCurrentUrl().contains("/login"));
	}

	protected WebDriverWait waitFor(WebDriver browser) {
		return new WebDriverWait(browser, Duration.ofSeconds(15));
	}

	protected WebDriverWait waitFor() {
		return waitFor(driver);
	}

	/** Saves what the browser shows as {@code docs/screenshots/<name>.png}. */
	protected Path screenshot(String name) {
		return screenshot(driver, name);
	}

	protected Path screenshot(WebDriver browser, String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			Path target = SCREENSHOTS.resolve(name + ".png");
			Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), target,
					StandardCopyOption.REPLACE_EXISTING);
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The browser console's errors so far (failed requests, script errors, CSP violations). */
	protected List<String> consoleErrors(WebDriver browser) {
		return browser.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::getMessage)
			.toList();
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return value == null || value.isBlank() ? fallback : value;
	}

	private static void deleteQuietly(Path dir) {
		try (Stream<Path> files = Files.walk(dir)) {
			files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		catch (IOException ignored) {
			// A browser profile in the temp folder; the OS cleans it if we cannot.
		}
	}

}
