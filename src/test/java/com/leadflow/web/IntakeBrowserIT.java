package com.leadflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadRepository;
import com.leadflow.leads.Route;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/** Marketing hands a lead in on the intake page. */
class IntakeBrowserIT extends PagesBrowserTest {

	@Autowired
	LeadRepository leadRows;

	@Test
	void marketingHandsInALeadAndSeesWhatIsWrongWithoutLosingWhatWasTyped() {
		String company = "株式会社登録テスト " + unique();
		login("marketing");
		assertThat(driver.getCurrentUrl()).endsWith("/intake");
		String reference = driver.findElement(By.id("externalId")).getAttribute("value");
		assertThat(reference).startsWith("manual-");

		driver.findElement(By.id("company")).sendKeys(company);
		driver.findElement(By.id("contactName")).sendKeys("木村 拓也");
		new Select(driver.findElement(By.id("route"))).selectByValue("OUTBOUND");
		new Select(driver.findElement(By.id("owner"))).selectByValue("rep2");
		driver.findElement(By.id("note")).sendKeys("名刺交換のみ");
		submit();

		// Neither email nor phone: the intake refuses, the form keeps everything.
		WebElement error = waitFor().until(b -> b.findElement(By.cssSelector("[data-error=email]")));
		assertThat(error.getText()).contains("email or phone is required");
		assertThat(driver.findElement(By.id("company")).getAttribute("value")).isEqualTo(company);
		assertThat(driver.findElement(By.id("contactName")).getAttribute("value")).isEqualTo("木村 拓也");
		assertThat(driver.findElement(By.id("note")).getAttribute("value")).isEqualTo("名刺交換のみ");
		assertThat(new Select(driver.findElement(By.id("route"))).getFirstSelectedOption().getAttribute("value"))
			.isEqualTo("OUTBOUND");
		assertThat(new Select(driver.findElement(By.id("owner"))).getFirstSelectedOption().getAttribute("value"))
			.isEqualTo("rep2");
		assertThat(driver.findElement(By.id("externalId")).getAttribute("value")).isEqualTo(reference);
		assertThat(leadRows.findByExternalId(reference)).isEmpty();

		// Bean Validation, as on the API: a malformed email.
		driver.findElement(By.id("email")).sendKeys("kimura-at-example");
		((org.openqa.selenium.JavascriptExecutor) driver)
			.executeScript("document.querySelector('[data-intake-form]').noValidate = true");
		submit();
		assertThat(waitFor().until(b -> b.findElement(By.cssSelector("[data-error=email]"))).getText())
			.contains("well-formed email");
		assertThat(leadRows.findByExternalId(reference)).isEmpty();

		WebElement email = driver.findElement(By.id("email"));
		email.clear();
		email.sendKeys("kimura." + unique() + "@example.co.jp");
		submit();
		WebElement created = waitFor().until(b -> b.findElement(By.cssSelector("[data-flash] a[data-created-lead]")));
		assertThat(created.getText()).isEqualTo(company);
		Lead lead = leadRows.findByExternalId(reference).orElseThrow();
		assertThat(lead.route()).isEqualTo(Route.OUTBOUND);
		assertThat(lead.owner()).isEqualTo("rep2");
		assertThat(lead.contactName()).isEqualTo("木村 拓也");

		created.click();
		waitFor().until(b -> b.getCurrentUrl().endsWith("/leads/" + lead.id()));
		assertThat(driver.findElement(By.cssSelector("h1[data-company]")).getText()).isEqualTo(company);
		// Handed in with an email address and no phone number: the first contact is the rep's email, not a call.
		assertThat(driver.findElement(By.cssSelector("[data-next-action]")).getText()).contains("Email", "Ren Nishida")
			.doesNotContain("Call");
	}

	/** Submits and waits for the answer page, so nothing is read from the page that was left. */
	private void submit() {
		WebElement form = driver.findElement(By.cssSelector("[data-intake-form]"));
		form.findElement(By.cssSelector("button[type=submit]")).click();
		waitFor().until(ExpectedConditions.stalenessOf(form));
	}

}
