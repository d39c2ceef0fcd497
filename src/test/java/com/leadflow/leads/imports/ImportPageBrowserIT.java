package com.leadflow.leads.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import com.leadflow.leads.LeadRepository;
import com.leadflow.testsupport.BrowserTest;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

/** The intake page's CSV upload: the import service behind a session-authenticated page endpoint. */
class ImportPageBrowserIT extends BrowserTest {

	@Autowired
	ImportWorker worker;

	@Autowired
	LeadRepository leads;

	@Test
	void marketingUploadsACsvAndFollowsItsProgressAndItsRowErrors() throws Exception {
		String key = UUID.randomUUID().toString().substring(0, 8);
		Path csv = Files.createTempFile("leads-", ".csv");
		Files.writeString(csv, String.join("\n",
				"externalId,route,company,contactName,email,phone,timeZone,source,owner,note",
				"page-" + key + "-1,NURTURE,株式会社CSV一号,山田 太郎,csv1-" + key + "@example.co.jp,,,EXHIBITION,rep1,",
				"page-" + key + "-2,OUTBOUND,株式会社CSV二号,,csv2-" + key + "@example.co.jp,,,,rep2,",
				"page-" + key + "-3,SIDEWAYS,株式会社CSV三号,,csv3-" + key + "@example.co.jp,,,,rep1,") + "\n",
				StandardCharsets.UTF_8);
		try {
			login("marketing");
			driver.get(url("/intake"));
			WebElement card = driver.findElement(By.cssSelector("[data-import]"));
			card.findElement(By.cssSelector("input[type=file]")).sendKeys(csv.toAbsolutePath().toString());
			card.findElement(By.cssSelector("[data-import-form] button[type=submit]")).click();
			String id = waitFor().until(b -> card.getAttribute("data-import-id"));
			// The workers are off in tests: the page shows the import running until one works on it.
			waitFor().until(b -> "RUNNING".equals(card.getAttribute("data-import-state")));
			assertThat(card.findElement(By.cssSelector("[data-import-counts]")).getText()).startsWith("0 / 3");

			worker.runOnce();
			waitFor().until(b -> "DONE".equals(card.getAttribute("data-import-state")));
			// Spelled out, not "(+2, =0, ×1)".
			assertThat(card.findElement(By.cssSelector("[data-import-counts]")).getText())
				.isEqualTo("3 / 3 rows: 2 created, 0 deduplicated (recorded on an existing lead), 1 failed");
			WebElement errors = card.findElement(By.cssSelector("[data-import-errors]"));
			assertThat(errors.isDisplayed()).isTrue();
			assertThat(errors.getText()).contains("first row after the header (row 1)");
			assertThat(errors.getText()).contains("3", "route");
			assertThat(leads.findByExternalId("page-" + key + "-1")).isPresent();
			assertThat(leads.findByExternalId("page-" + key + "-2")).isPresent();
			assertThat(leads.findByExternalId("page-" + key + "-3")).isEmpty();
			assertThat(id).isNotBlank();
			assertThat(consoleErrors(driver)).isEmpty();
		}
		finally {
			Files.deleteIfExists(csv);
		}
	}

}
