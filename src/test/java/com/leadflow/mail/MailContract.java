package com.leadflow.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadflow.actions.CompletionRequest;
import com.leadflow.actions.NextActionService;
import com.leadflow.actions.Outcome;
import com.leadflow.common.Clock;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadRepository;
import com.leadflow.process.LeadProcess;
import com.leadflow.security.CurrentUser;
import com.leadflow.security.Groups;
import com.leadflow.security.UserDirectory;
import com.leadflow.testsupport.LeadflowApiSupport;
import com.leadflow.testsupport.TestSmtp;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.Status;
import org.springframework.http.MediaType;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Mail through the outbox against a real SMTP server (GreenMail), run on H2 and on MySQL. The
 * context and database are shared with other test classes: every test makes its own leads and
 * recipients and counts only its own messages (by Message-ID). Tests of the outbox mechanics work
 * at a clock years before anything else in the suite, so only their own rows are due.
 */
abstract class MailContract extends LeadflowApiSupport {

	@Autowired
	OutboxSender sender;

	@Autowired
	OutboxRepository rows;

	@Autowired
	Outbox outbox;

	@Autowired
	LeadMail leadMail;

	@Autowired
	LeadRepository leadRows;

	@Autowired
	NextActionService actionService;

	@Autowired
	MailDigestJob digest;

	@Autowired
	UserDirectory users;

	@Autowired
	TransactionTemplate tx;

	@Autowired
	JavaMailSender javaMail;

	@Autowired
	MailSettings settings;

	@Autowired
	SmtpState smtp;

	@Autowired
	MeterRegistry meters;

	@Autowired
	MailHealthIndicator mailHealth;

	@Autowired
	HealthEndpointGroups healthGroups;

	@BeforeEach
	void smtpUp() {
		TestSmtp.get();
	}

	@AfterEach
	void smtpUpForTheNextTest() {
		TestSmtp.get();
	}

	// ---------------------------------------------------------------- templates and headers

	@Test
	void everyTemplateArrivesInTheLeadsLanguageWithSubjectCharsetAndUnsubscribeHeaders() throws Exception {
		String rep = freshRep("mailtpl");
		Map<String, Object> tokyoBody = leadBody("NURTURE", rep);
		Map<String, Object> londonBody = leadBody("NURTURE", rep);
		londonBody.put("timeZone", "Europe/London");
		londonBody.put("company", "Smith & Sons " + UUID.randomUUID().toString().substring(0, 6));
		londonBody.put("contactName", "Jane Smith");
		Lead tokyo = leadRows.findById(createLead(tokyoBody).get("id").asText()).orElseThrow();
		Lead london = leadRows.findById(createLead(londonBody).get("id").asText()).orElseThrow();

		Map<String, MailTemplates.Rendered> expected = new LinkedHashMap<>();
		Map<String, Lead> leadOf = new LinkedHashMap<>();
		for (Lead lead : List.of(tokyo, london)) {
			for (String template : List.of("case-study", "seminar-invitation", "follow-up")) {
				String messageId = tx.execute(s -> leadMail.draft(lead, template, null, null, rep, true)
					.flatMap(draft -> leadMail.send(draft, MailKind.LEAD_EMAIL))).orElseThrow();
				expected.put(messageId, leadMail.preview(lead, template, rep));
				leadOf.put(messageId, lead);
			}
		}
		sender.sendDue();

		String repName = users.contact(rep).orElseThrow().name();
		for (Map.Entry<String, MailTemplates.Rendered> mail : expected.entrySet()) {
			MimeMessage message = onlyCopy(mail.getKey());
			Lead lead = leadOf.get(mail.getKey());
			MailTemplates.Rendered rendered = mail.getValue();
			boolean japanese = lead == tokyo;
			assertThat(rendered.language()).isEqualTo(japanese ? "ja" : "en");
			assertThat(message.getSubject()).isEqualTo(rendered.subject()).contains(lead.company());
			if (japanese) {
				assertThat(message.getHeader("Subject")[0]).as("MIME-encoded Japanese subject").startsWith("=?UTF-8?");
			}
			assertThat(message.getMessageID()).isEqualTo(mail.getKey()).matches("<[0-9a-f-]{36}@leadflow>");
			assertThat(message.getHeader("List-Unsubscribe")[0])
				.contains("<" + leadMail.unsubscribeUrl(lead.id()) + ">")
				.startsWith("<http://localhost:8080/unsubscribe?lead=" + lead.id() + "&sig=")
				.contains("<mailto:noreply@leadflow.example?subject=unsubscribe%20" + lead.id() + ">");
			assertThat(message.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
			assertThat(message.getReplyTo()[0].toString()).contains(rep + "@leadflow.example");
			assertThat(message.getAllRecipients()[0].toString()).isEqualTo(lead.email());

			Map<String, Part> parts = textParts(message);
			assertThat(parts).containsOnlyKeys("text/plain", "text/html");
			for (Part part : parts.values()) {
				assertThat(part.getContentType().toLowerCase()).contains("charset=utf-8");
			}
			String text = (String) parts.get("text/plain").getContent();
			String html = (String) parts.get("text/html").getContent();
			assertThat(text).contains(lead.contactName(), repName, leadMail.unsubscribeUrl(lead.id()));
			assertThat(html).contains(repName, leadMail.unsubscribeUrl(lead.id()).replace("&", "&amp;"));
			if (japanese) {
				assertThat(text).startsWith(lead.company()).contains(lead.contactName() + " 様", "配信を停止");
			}
			else {
				assertThat(text).contains("Dear Jane Smith", "unsubscribe here");
				// HTML-escaped in the HTML part, verbatim in the text part.
				assertThat(html).contains(lead.company().replace("&", "&amp;"));
			}
		}
	}

	// ---------------------------------------------------------------- a rep sends

	@Test
	void aRepSendingTheEmailCompletesTheActionAndThePreviewShowsItFirst() throws Exception {
		String rep = freshRep("mailsend");
		clockAt(tokyo(2026, 12, 2, 10, 0));
		JsonNode lead = createLead("NURTURE", rep);
		String leadId = lead.get("id").asText();

		// An email only goes with the outcome SENT of an EMAIL or CONTENT action.
		assertThat(postComplete(actionId(lead), rep, Map.of("outcome", "NO_ANSWER", "email", Map.of("template", "follow-up")))
			.andReturn().getResponse().getStatus()).isEqualTo(400);
		JsonNode afterCall = complete(actionId(lead), rep, "CONTACTED");
		assertThat(actionType(afterCall)).isEqualTo("CONTENT");
		String contentAction = actionId(afterCall);

		MvcResult previewResult = mvc.perform(get("/api/next-actions/{id}/email-preview", contentAction)
			.with(httpBasic(rep, password(rep)))).andReturn();
		assertThat(previewResult.getResponse().getStatus()).as(previewResult.getResponse().getContentAsString()).isEqualTo(200);
		JsonNode preview = read(previewResult);
		assertThat(preview.get("template").asText()).isEqualTo("case-study");
		assertThat(preview.get("language").asText()).isEqualTo("ja");
		assertThat(preview.get("to").asText()).isEqualTo(lead.get("email").asText());
		assertThat(preview.get("subject").asText()).contains(lead.get("company").asText());
		assertThat(preview.get("body").asText()).contains("山田 太郎 様");
		assertThat(preview.get("templates")).extracting(JsonNode::asText)
			.contains("case-study", "seminar-invitation", "follow-up")
			.noneMatch(t -> t.startsWith("notice-"));
		assertThat(mvc.perform(get("/api/next-actions/{id}/email-preview", contentAction).with(httpBasic("rep1", "rep1")))
			.andReturn().getResponse().getStatus()).isEqualTo(403);

		MvcResult unknown = postComplete(contentAction, rep,
				Map.of("outcome", "SENT", "email", Map.of("template", "no-such-template"))).andReturn();
		assertThat(unknown.getResponse().getStatus()).isEqualTo(400);
		assertThat(read(unknown).get("errors").get(0).get("field").asText()).isEqualTo("email.template");
		assertThat(outboxRowsOf(leadId)).isEmpty();

		String subject = "【ご案内】" + lead.get("company").asText() + " 様 特別セミナーのお知らせ";
		String body = "山田様\n\n来月のセミナーにぜひお越しください。\n\n担当より";
		JsonNode after = complete(contentAction, rep, Map.of("outcome", "SENT", "email",
				Map.of("template", "seminar-invitation", "subject", subject, "body", body)));
		assertThat(actionType(after)).as("the next action is planned in the same step").isEqualTo("CALL");
		assertInvariant(leadId);
		assertThat(jdbc.sql("SELECT outcome FROM lf_next_action WHERE id = ?").param(contentAction).query(String.class).single())
			.isEqualTo("SENT");
		List<OutboxRow> queued = outboxRowsOf(leadId);
		assertThat(queued).hasSize(1);
		assertThat(queued.get(0).kind()).isEqualTo(MailKind.LEAD_EMAIL);
		assertThat(queued.get(0).state()).isEqualTo(OutboxState.PENDING);

		sender.sendDue();
		MimeMessage message = onlyCopy(queued.get(0).messageId());
		assertThat(message.getSubject()).isEqualTo(subject);
		// An edited body goes out as plain text (the template's HTML no longer matches it), with the unsubscribe footer.
		assertThat(message.getContentType().toLowerCase()).startsWith("text/plain").contains("charset=utf-8");
		assertThat((String) message.getContent()).startsWith(body).contains(leadMail.unsubscribeUrl(leadId));
		assertThat(rows.findById(queued.get(0).id()).orElseThrow().state()).isEqualTo(OutboxState.SENT);
	}

	@Test
	void anAutomatedContentStepIsMailedOnItsDueDateInTheTimersTransaction() throws Exception {
		String rep = freshRep("mailauto");
		clockAt(tokyo(2026, 12, 2, 10, 0));
		JsonNode lead = createLead("NURTURE", rep);
		String leadId = lead.get("id").asText();
		JsonNode afterCall = complete(actionId(lead), rep, "CONTACTED");
		assertThat(actionType(afterCall)).isEqualTo("CONTENT");
		assertThat(outboxRowsOf(leadId)).as("nothing is mailed before the due date").isEmpty();

		List<Job> timers = timerJobsOf(leadId, LeadProcess.Elements.TIMER_CONTENT_DUE);
		assertThat(timers).hasSize(1);
		Instant due = timers.get(0).getDuedate().toInstant();
		assertThat(due).isEqualTo(dueAt(afterCall));
		clockAt(due.plusSeconds(60));
		managementService.executeJob(timers.get(0).getId());

		List<OutboxRow> queued = outboxRowsOf(leadId);
		assertThat(queued).hasSize(1);
		assertThat(queued.get(0).kind()).isEqualTo(MailKind.LEAD_CONTENT);
		assertThat(queued.get(0).createdAt()).isEqualTo(due.plusSeconds(60));
		assertInvariant(leadId);

		sender.sendDue();
		MimeMessage message = onlyCopy(queued.get(0).messageId());
		Lead stored = leadRows.findById(leadId).orElseThrow();
		assertThat(message.getSubject()).isEqualTo(leadMail.preview(stored, "case-study", rep).subject());
		assertThat(message.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
	}

	// ---------------------------------------------------------------- unsubscribe

	@Test
	void theLinkUnsubscribesByButtonOrOneClickAndTheLeadIsNeverMailedAgain() throws Exception {
		String rep = freshRep("mailunsub");
		String leadA = createLead("NURTURE", rep).get("id").asText();
		String leadB = createLead("NURTURE", rep).get("id").asText();
		String leadC = createLead("NURTURE", rep).get("id").asText();
		Lead a = leadRows.findById(leadA).orElseThrow();
		String queuedBefore = tx.execute(s -> leadMail.draft(a, "follow-up", null, null, rep, true)
			.flatMap(d -> leadMail.send(d, MailKind.LEAD_EMAIL))).orElseThrow();

		// Opening the link (as a mail scanner would) shows a page and changes nothing.
		MvcResult page = mvc.perform(get(linkOf(leadA))).andReturn();
		assertThat(page.getResponse().getStatus()).isEqualTo(200);
		assertThat(page.getResponse().getContentAsString()).contains("data-unsubscribe=\"confirm\"", "配信を停止する");
		assertThat(lead(leadA).get("status").asText()).isEqualTo("ACTIVE");

		// Its button: a plain form post without a CSRF token or login.
		MvcResult done = mvc.perform(post(linkOf(leadA)).param("confirm", "yes")).andReturn();
		assertThat(done.getResponse().getStatus()).isEqualTo(200);
		assertThat(done.getResponse().getContentAsString()).contains("data-unsubscribe=\"done\"");
		JsonNode closed = assertInvariant(leadA);
		assertThat(closed.get("status").asText()).isEqualTo("CLOSED");
		assertThat(closed.get("doNotContact").asBoolean()).isTrue();
		assertThat(historyTypes(leadA)).contains("CLOSED");
		assertThat(mvc.perform(get(linkOf(leadA))).andReturn().getResponse().getContentAsString())
			.contains("data-unsubscribe=\"done\"");

		// RFC 8058 one-click, as a mail provider posts it.
		MvcResult oneClick = mvc.perform(post(linkOf(leadB)).contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.content("List-Unsubscribe=One-Click")).andReturn();
		assertThat(oneClick.getResponse().getStatus()).isEqualTo(200);
		assertThat(oneClick.getResponse().getContentAsString()).isEqualTo("unsubscribed\n");
		assertThat(assertInvariant(leadB).get("doNotContact").asBoolean()).isTrue();

		// Forged or altered links: 400, nothing changes.
		String sigOfC = sigOf(leadC);
		String altered = (sigOfC.charAt(0) == 'A' ? "B" : "A") + sigOfC.substring(1);
		for (String forged : List.of("/unsubscribe?lead=" + leadC + "&sig=" + altered,
				"/unsubscribe?lead=" + leadC + "&sig=" + sigOf(leadA), "/unsubscribe?lead=" + leadC,
				"/unsubscribe?lead=" + UUID.randomUUID() + "&sig=" + sigOfC)) {
			MvcResult bad = mvc.perform(get(forged)).andReturn();
			assertThat(bad.getResponse().getStatus()).as(forged).isEqualTo(400);
			assertThat(bad.getResponse().getContentAsString()).contains("data-unsubscribe=\"invalid\"");
			assertThat(mvc.perform(post(forged).contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.content("List-Unsubscribe=One-Click")).andReturn().getResponse().getStatus()).as(forged).isEqualTo(400);
		}
		assertThat(assertInvariant(leadC).get("status").asText()).isEqualTo("ACTIVE");

		// Never mailed again: the writer refuses, and the sender drops what was queued before.
		java.util.Optional<String> refused = tx.execute(s -> leadMail.send(new LeadMail.Draft(leadA, a.email(), "follow-up",
				"ja", "s", "t", null, Map.of()), MailKind.LEAD_EMAIL));
		assertThat(refused).isEmpty();
		sender.sendDue();
		assertThat(rows.findByMessageId(queuedBefore).orElseThrow().state()).isEqualTo(OutboxState.CANCELLED);
		assertThat(TestSmtp.withMessageIds(Set.of(queuedBefore))).isEmpty();
		assertThat(TestSmtp.to(a.email())).isEmpty();
	}

	// ---------------------------------------------------------------- outbox mechanics

	@Test
	void twoHundredMailsQueuedWhileSmtpIsDownAreEachDeliveredOnceAfterItComesBack() throws Exception {
		Instant start = clockAt(Instant.parse("2021-03-01T01:00:00Z"));
		TestSmtp.stop();
		List<String> ids = queue(200, "outage");

		assertThat(sender.sendDue()).isZero();
		List<OutboxRow> afterOutage = ids.stream().map(id -> rows.findByMessageId(id).orElseThrow()).toList();
		assertThat(afterOutage).allMatch(r -> r.state() == OutboxState.PENDING);
		List<OutboxRow> tried = afterOutage.stream().filter(r -> r.attempts() > 0).toList();
		assertThat(tried).as("the first batch was tried, the rest waits for the next poll")
			.hasSize(settings.outbox().batchSize());
		assertThat(tried).allSatisfy(r -> {
			assertThat(r.nextAttemptAt()).isEqualTo(start.plus(settings.outbox().backoffBase()));
			assertThat(r.lastError()).isNotBlank();
		});
		assertThat(smtp.status()).isEqualTo("DOWN");
		// SMTP down is information, not ill health: the node stays in service.
		assertThat(mvc.perform(get("/actuator/health")).andReturn().getResponse().getStatus()).isEqualTo(200);
		JsonNode info = read(mvc.perform(get("/actuator/info").with(httpBasic(MANAGER, MANAGER))).andReturn());
		assertThat(info.at("/mail/smtp/status").asText()).isEqualTo("DOWN");
		// The sender's failure is the newest observation: health reports it without a connection of its own.
		JsonNode health = health("/actuator/health/mail", MANAGER);
		assertThat(health.get("status").asText()).isEqualTo("DEGRADED");
		assertThat(health.at("/details/checkedBy").asText()).isEqualTo("outbox sender");
		assertThat(health.at("/details/outbox/backlog").asLong()).isGreaterThanOrEqualTo(200);

		TestSmtp.get();
		clockAt(start.plus(settings.outbox().backoffMax()).plusSeconds(60));
		assertThat(sender.sendDue()).isEqualTo(200);
		assertDeliveredOnceEach(ids);
		assertThat(sender.sendDue()).as("nothing is due any more").isZero();
		assertDeliveredOnceEach(ids);
		assertThat(smtp.status()).isEqualTo("UP");

		String prometheus = mvc.perform(get("/actuator/prometheus").with(httpBasic(MANAGER, MANAGER)))
			.andReturn().getResponse().getContentAsString();
		assertThat(prometheus).contains("leadflow_mail_sent_total", "leadflow_mail_outbox_backlog",
				"leadflow_mail_outbox_failed");
	}

	// ---------------------------------------------------------------- health

	@Test
	void mailHealthChecksTheSmtpServerItselfAndADownServerDegradesWithoutTakingTheNodeOutOfService() throws Exception {
		// SMTP up: the health call connects to the server and says so, with the outbox's counts.
		Instant before = Instant.now();
		mailHealth.checkOnNextCall();
		JsonNode up = health("/actuator/health/mail", MANAGER);
		assertThat(up.get("status").asText()).isEqualTo("UP");
		JsonNode details = up.get("details");
		assertThat(details.get("sink").asText()).isEqualTo("smtp");
		assertThat(details.get("host").asText()).isEqualTo("127.0.0.1");
		assertThat(details.get("port").asInt()).isEqualTo(TestSmtp.PORT);
		assertThat(details.get("reachable").asBoolean()).isTrue();
		assertThat(details.get("checkedBy").asText()).isEqualTo("health check");
		assertThat(Instant.parse(details.get("lastCheckedAt").asText())).isBetween(before, Instant.now());
		assertThat(details.has("error")).isFalse();
		assertThat(details.at("/outbox/backlog").asLong()).isEqualTo(rows.count(OutboxState.PENDING));
		assertThat(details.at("/outbox/failed").asLong()).isEqualTo(rows.count(OutboxState.FAILED));

		// SMTP stopped: mail is DEGRADED with the connection error; the node stays in service (200).
		TestSmtp.stop();
		Instant stopped = Instant.now();
		mailHealth.checkOnNextCall();
		JsonNode down = health("/actuator/health/mail", MANAGER);
		assertThat(down.get("status").asText()).isEqualTo("DEGRADED");
		assertThat(down.at("/details/reachable").asBoolean()).isFalse();
		assertThat(down.at("/details/error").asText()).containsIgnoringCase("connect");
		Instant checkedDown = Instant.parse(down.at("/details/lastCheckedAt").asText());
		assertThat(checkedDown).isAfterOrEqualTo(stopped);
		assertThat(down.at("/details/lastSuccessAt").asText()).isNotBlank();

		JsonNode root = health("/actuator/health", MANAGER);
		assertThat(root.get("status").asText()).as("the root shows the degradation").isEqualTo("DEGRADED");
		assertThat(root.at("/components/mail/status").asText()).isEqualTo("DEGRADED");
		assertThat(root.at("/components/db/status").asText()).isEqualTo("UP");
		// Anonymous (a load balancer): 200 and the overall status only, no components, no SMTP details.
		MvcResult anonymous = mvc.perform(get("/actuator/health")).andReturn();
		assertThat(anonymous.getResponse().getStatus()).isEqualTo(200);
		JsonNode anonymousRoot = read(anonymous);
		assertThat(anonymousRoot.get("status").asText()).isEqualTo("DEGRADED");
		assertThat(anonymousRoot.has("components")).isFalse();
		assertThat(anonymous.getResponse().getContentAsString()).doesNotContain("127.0.0.1", "smtp", "backlog");
		// Probes never include mail.
		for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
			MvcResult result = mvc.perform(get(probe)).andReturn();
			assertThat(result.getResponse().getStatus()).as(probe).isEqualTo(200);
			assertThat(read(result).get("status").asText()).as(probe).isEqualTo("UP");
		}

		// Rate-limited: with the server back, calls within the check interval answer from the last check
		// (no new connection), however many there are.
		TestSmtp.get();
		for (int i = 0; i < 5; i++) {
			JsonNode cached = health("/actuator/health/mail", MANAGER);
			assertThat(cached.get("status").asText()).isEqualTo("DEGRADED");
			assertThat(Instant.parse(cached.at("/details/lastCheckedAt").asText())).isEqualTo(checkedDown);
		}
		// The next check (here: forced) sees it again.
		mailHealth.checkOnNextCall();
		JsonNode back = health("/actuator/health/mail", MANAGER);
		assertThat(back.get("status").asText()).isEqualTo("UP");
		assertThat(back.at("/details/reachable").asBoolean()).isTrue();
		assertThat(Instant.parse(back.at("/details/lastCheckedAt").asText())).isAfter(checkedDown);
	}

	@Test
	void degradedAnswers200ButDownAndOutOfServiceStill503() {
		// Our status mapping replaces Boot's default one: the statuses that take a node out of service keep their 503.
		HttpCodeStatusMapper codes = healthGroups.getPrimary().getHttpCodeStatusMapper();
		assertThat(codes.getStatusCode(Status.DOWN)).isEqualTo(503);
		assertThat(codes.getStatusCode(Status.OUT_OF_SERVICE)).isEqualTo(503);
		assertThat(codes.getStatusCode(MailHealthIndicator.DEGRADED)).isEqualTo(200);
		assertThat(codes.getStatusCode(Status.UP)).isEqualTo(200);
		assertThat(healthGroups.getPrimary().getStatusAggregator()
			.getAggregateStatus(Status.UP, MailHealthIndicator.DEGRADED, Status.DOWN)).isEqualTo(Status.DOWN);
		assertThat(healthGroups.getPrimary().getStatusAggregator()
			.getAggregateStatus(Status.UP, MailHealthIndicator.DEGRADED, Status.UNKNOWN)).isEqualTo(MailHealthIndicator.DEGRADED);
		for (String probe : List.of("liveness", "readiness")) {
			assertThat(healthGroups.get(probe).isMember("mail")).as(probe).isFalse();
		}
	}

	private JsonNode health(String path, String user) throws Exception {
		MvcResult result = mvc.perform(get(path).with(httpBasic(user, password(user)))).andReturn();
		assertThat(result.getResponse().getStatus()).as("%s: %s", path, result.getResponse().getContentAsString())
			.isEqualTo(200);
		return read(result);
	}

	@Test
	void aTransactionThatRollsBackLeavesNoMail() throws Exception {
		clockAt(Instant.parse("2021-04-01T01:00:00Z"));
		String to = "rollback-" + UUID.randomUUID() + "@example.com";
		assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
			outbox.enqueue(new OutgoingMail(MailKind.DIGEST, null, to, "ロールバック", "本文", null, Map.of(), null));
			throw new IllegalStateException("the step fails after deciding the mail");
		})).hasMessageContaining("fails after");
		assertThat(jdbc.sql("SELECT COUNT(*) FROM lf_outbox WHERE to_address = ?").param(to).query(Long.class).single())
			.isZero();

		// A rep's send inside a completion whose transaction then fails: no mail, the action stays open.
		String rep = freshRep("mailrollback");
		clockAt(tokyo(2026, 12, 2, 10, 0));
		JsonNode lead = createLead("NURTURE", rep);
		String leadId = lead.get("id").asText();
		String contentAction = actionId(complete(actionId(lead), rep, "CONTACTED"));
		CurrentUser user = new CurrentUser(rep, Set.of(Groups.REPS));
		assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
			actionService.complete(contentAction, new CompletionRequest(Outcome.SENT, null, null, null, null,
					new CompletionRequest.Email("follow-up", null, null)), user);
			assertThat(outboxRowsOf(leadId)).as("written inside the transaction").hasSize(1);
			throw new IllegalStateException("a later step of the same transaction fails");
		})).hasMessageContaining("later step");
		assertThat(outboxRowsOf(leadId)).isEmpty();
		assertThat(assertInvariant(leadId).get("nextAction").get("id").asText()).isEqualTo(contentAction);

		sender.sendDue();
		assertThat(TestSmtp.to(to)).isEmpty();
		assertThat(TestSmtp.to(lead.get("email").asText())).isEmpty();
	}

	@Test
	void twoSendersRunningTogetherDeliverEachMailOnce() throws Exception {
		clockAt(Instant.parse("2021-05-03T01:00:00Z"));
		List<String> ids = queue(120, "race");
		OutboxSender nodeA = new OutboxSender(rows, javaMail, settings, "nodeA", smtp, meters);
		OutboxSender nodeB = new OutboxSender(rows, javaMail, settings, "nodeB", smtp, meters);
		CyclicBarrier together = new CyclicBarrier(2);
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			List<Future<Integer>> runs = new ArrayList<>();
			for (OutboxSender node : List.of(nodeA, nodeB)) {
				Callable<Integer> run = () -> {
					together.await(10, TimeUnit.SECONDS);
					return node.sendDue();
				};
				runs.add(pool.submit(run));
			}
			int accepted = 0;
			for (Future<Integer> run : runs) {
				accepted += run.get(60, TimeUnit.SECONDS);
			}
			assertThat(accepted).isEqualTo(120);
		}
		finally {
			pool.shutdownNow();
		}
		assertDeliveredOnceEach(ids);
		assertThat(ids.stream().map(id -> rows.findByMessageId(id).orElseThrow()))
			.allSatisfy(r -> {
				assertThat(r.state()).isEqualTo(OutboxState.SENT);
				assertThat(r.attempts()).isEqualTo(1);
				assertThat(r.claimedBy()).isIn("nodeA", "nodeB");
			});
	}

	/**
	 * The one window of "at least once": a node hands a mail to the SMTP server, the server accepts
	 * it, and the node dies before it marks the row SENT. The row stays SENDING; when its claim
	 * expires, another node sends it again, with the same Message-ID, which receivers dedupe on.
	 */
	@Test
	void aNodeDyingBetweenSmtpAcceptanceAndMarkingIsCoveredBySendingTheSameMessageIdAgain() throws Exception {
		Instant start = clockAt(Instant.parse("2021-06-01T01:00:00Z"));
		String messageId = queue(1, "crash").get(0);
		OutboxRow row = rows.findByMessageId(messageId).orElseThrow();
		OutboxSender nodeA = new OutboxSender(rows, javaMail, settings, "nodeA", smtp, meters);
		OutboxSender nodeB = new OutboxSender(rows, javaMail, settings, "nodeB", smtp, meters);

		List<OutboxRow> claimed = nodeA.claim(List.of(row.id()), start);
		assertThat(claimed).hasSize(1);
		javaMail.send(nodeA.message(claimed.get(0)));
		// ... node A dies here: the server has the mail, the row still says SENDING (claimed by A).
		assertThat(rows.findById(row.id()).orElseThrow().state()).isEqualTo(OutboxState.SENDING);

		assertThat(nodeB.sendDue()).as("node B keeps off while A's claim holds").isZero();
		clockAt(start.plus(settings.outbox().claimTimeout()).plusSeconds(1));
		assertThat(nodeB.sendDue()).isEqualTo(1);

		List<MimeMessage> copies = TestSmtp.withMessageIds(Set.of(messageId));
		assertThat(copies).hasSize(2);
		assertThat(copies).extracting(TestSmtp::messageId).containsOnly(messageId);
		OutboxRow after = rows.findById(row.id()).orElseThrow();
		assertThat(after.state()).isEqualTo(OutboxState.SENT);
		assertThat(after.claimedBy()).isEqualTo("nodeB");
		assertThat(after.attempts()).isEqualTo(2);
	}

	/**
	 * Keeps that window to one mail: a batch goes over one SMTP connection, but each mail is marked
	 * SENT as soon as the server accepted it, before the next one goes out. A node killed at any point
	 * of a batch leaves at most one accepted mail unmarked (ClusterFaultIT kills real nodes).
	 */
	@Test
	void eachMailOfABatchIsMarkedSentBeforeTheNextOneGoesOut() throws Exception {
		clockAt(Instant.parse("2021-05-10T01:00:00Z"));
		List<String> messageIds = queue(5, "window");
		Set<String> rowIds = new HashSet<>();
		messageIds.forEach(m -> rowIds.add(rows.findByMessageId(m).orElseThrow().id()));
		List<Integer> receivedWhenMarked = new ArrayList<>();
		OutboxRepository watched = new OutboxRepository(jdbc, json) {
			@Override
			boolean markSent(String id, String node, Instant at) {
				if (rowIds.contains(id)) {
					receivedWhenMarked.add(TestSmtp.withMessageIds(new HashSet<>(messageIds)).size());
				}
				return super.markSent(id, node, at);
			}
		};
		OutboxSender node = new OutboxSender(watched, javaMail, settings, "nodeW", smtp, meters);
		assertThat(settings.outbox().batchSize()).as("all five go in one batch").isGreaterThanOrEqualTo(5);
		node.sendDue();
		assertThat(receivedWhenMarked).as("mails the SMTP server held when each row was marked").containsExactly(1, 2, 3, 4, 5);
		assertDeliveredOnceEach(messageIds);
	}

	@Test
	void aMailFailingEveryAttemptBacksOffThenFailsAndIsListedForManagers() throws Exception {
		Instant at = clockAt(Instant.parse("2021-07-01T01:00:00Z"));
		String messageId = queue(1, "failing").get(0);
		String id = rows.findByMessageId(messageId).orElseThrow().id();
		TestSmtp.stop();
		List<Duration> waits = new ArrayList<>();
		for (int attempt = 1; attempt <= settings.outbox().maxAttempts(); attempt++) {
			sender.sendDue();
			OutboxRow row = rows.findById(id).orElseThrow();
			assertThat(row.attempts()).isEqualTo(attempt);
			if (attempt < settings.outbox().maxAttempts()) {
				assertThat(row.state()).isEqualTo(OutboxState.PENDING);
				waits.add(Duration.between(at, row.nextAttemptAt()));
				at = clockAt(row.nextAttemptAt());
			}
		}
		assertThat(waits).startsWith(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120));
		assertThat(waits).allMatch(w -> w.compareTo(settings.outbox().backoffMax()) <= 0);
		OutboxRow failed = rows.findById(id).orElseThrow();
		assertThat(failed.state()).isEqualTo(OutboxState.FAILED);
		assertThat(failed.lastError()).contains("gave up after " + settings.outbox().maxAttempts() + " attempts");
		TestSmtp.get();

		JsonNode list = read(mvc.perform(get("/api/mail/outbox").param("state", "FAILED").param("size", "500")
			.with(httpBasic(MANAGER, MANAGER))).andReturn());
		assertThat(list.get("content")).extracting(n -> n.get("id").asText()).contains(id);
		assertThat(mvc.perform(get("/api/mail/outbox").with(httpBasic("rep1", "rep1"))).andReturn().getResponse().getStatus())
			.isEqualTo(403);
		String prometheus = mvc.perform(get("/actuator/prometheus").with(httpBasic(MANAGER, MANAGER)))
			.andReturn().getResponse().getContentAsString();
		assertThat(prometheus).containsPattern("leadflow_mail_outbox_failed [1-9]");

		// A manager gives it another round once the server is back.
		assertThat(mvc.perform(post("/api/mail/outbox/{id}/retry", id).with(httpBasic(MANAGER, MANAGER)))
			.andReturn().getResponse().getStatus()).isEqualTo(204);
		assertThat(sender.sendDue()).isEqualTo(1);
		assertDeliveredOnceEach(List.of(messageId));
	}

	// ---------------------------------------------------------------- notices

	@Test
	void salesGetsTheHandOffAndManagersTheEscalationByMail() throws Exception {
		String rep = freshRep("mailnotice");
		clockAt(tokyo(2026, 12, 2, 10, 0));
		JsonNode lead = createLead("NURTURE", rep);
		String leadId = lead.get("id").asText();
		complete(actionId(lead), rep, meetingSet(tokyo(2026, 12, 3, 14, 0)));

		List<OutboxRow> handOff = outboxRowsOf(leadId).stream().filter(r -> r.kind() == MailKind.HANDOFF).toList();
		List<String> sales = users.contactsOf(Groups.SALES).stream().map(UserDirectory.Contact::email).toList();
		assertThat(handOff).extracting(OutboxRow::to).containsExactlyInAnyOrderElementsOf(sales).contains("sales1@leadflow.example");
		sender.sendDue();
		MimeMessage toSales = onlyCopy(handOff.get(0).messageId());
		assertThat(toSales.getSubject()).contains(lead.get("company").asText(), "2026-12-03 14:00");
		assertThat((String) toSales.getContent()).contains("500万円", "来期", "部長", "山田 太郎",
				"http://localhost:8080/leads/" + leadId);

		String overdueRep = freshRep("mailescalate");
		JsonNode late = createLead("NURTURE", overdueRep);
		String lateId = late.get("id").asText();
		List<Job> overdue = timerJobsOf(lateId, LeadProcess.Elements.BOUNDARY_ACTION_OVERDUE);
		assertThat(overdue).hasSize(1);
		clockAt(overdue.get(0).getDuedate().toInstant().plusSeconds(60));
		managementService.executeJob(overdue.get(0).getId());
		List<OutboxRow> escalation = outboxRowsOf(lateId).stream().filter(r -> r.kind() == MailKind.ESCALATION).toList();
		assertThat(escalation).extracting(OutboxRow::to)
			.containsExactlyInAnyOrderElementsOf(users.contactsOf(Groups.MANAGERS).stream().map(UserDirectory.Contact::email).toList())
			.contains("manager@leadflow.example");
		sender.sendDue();
		assertThat(onlyCopy(escalation.get(0).messageId()).getSubject()).contains(late.get("company").asText(), "CALL");
	}

	@Test
	void eachActiveRepGetsOneDigestOnAWorkingMorning() throws Exception {
		String rep = freshRep("maildigest");
		clockAt(tokyo(2026, 12, 2, 8, 0));
		JsonNode lead = createLead("NURTURE", rep);
		assertThat(dueAt(lead)).isBefore(tokyo(2026, 12, 3, 0, 0));

		assertThat(digest.run(tokyo(2026, 12, 2, 7, 59))).as("before the digest time").isZero();
		assertThat(digest.run(tokyo(2026, 12, 2, 8, 30))).isPositive();
		assertThat(digestsOf(rep)).hasSize(1);
		assertThat(digest.run(tokyo(2026, 12, 2, 8, 40))).as("the lock expired, but the digest exists").isZero();
		assertThat(digest.run(tokyo(2026, 12, 5, 9, 0))).as("Saturday").isZero();
		assertThat(digestsOf(rep)).hasSize(1);

		clockAt(tokyo(2026, 12, 2, 8, 45));
		sender.sendDue();
		MimeMessage message = onlyCopy(digestsOf(rep).get(0).messageId());
		assertThat(message.getAllRecipients()[0].toString()).isEqualTo(rep + "@leadflow.example");
		assertThat(message.getSubject()).contains("2026-12-02");
		assertThat((String) message.getContent()).contains(lead.get("company").asText(), "CALL");
	}

	// ---------------------------------------------------------------- helpers

	private List<String> queue(int count, String prefix) {
		String run = UUID.randomUUID().toString().substring(0, 8);
		return tx.execute(s -> {
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				ids.add(outbox.enqueue(new OutgoingMail(MailKind.DIGEST, null, prefix + "-" + run + "-" + i + "@example.com",
						"テスト " + prefix + " " + i, "本文 " + i, null, Map.of(), null)).orElseThrow());
			}
			return ids;
		});
	}

	private void assertDeliveredOnceEach(List<String> messageIds) {
		List<MimeMessage> received = TestSmtp.withMessageIds(new HashSet<>(messageIds));
		assertThat(received).hasSize(messageIds.size());
		assertThat(received.stream().map(TestSmtp::messageId).distinct().count()).isEqualTo(messageIds.size());
	}

	private MimeMessage onlyCopy(String messageId) {
		List<MimeMessage> copies = TestSmtp.withMessageIds(Set.of(messageId));
		assertThat(copies).as("copies of %s received", messageId).hasSize(1);
		return copies.get(0);
	}

	private List<OutboxRow> outboxRowsOf(String leadId) {
		return jdbc.sql("SELECT message_id FROM lf_outbox WHERE lead_id = ? ORDER BY created_at, id")
			.param(leadId)
			.query(String.class)
			.list()
			.stream()
			.map(id -> rows.findByMessageId(id).orElseThrow())
			.toList();
	}

	private List<OutboxRow> digestsOf(String rep) {
		return jdbc.sql("SELECT message_id FROM lf_outbox WHERE kind = 'DIGEST' AND to_address = ?")
			.param(rep + "@leadflow.example")
			.query(String.class)
			.list()
			.stream()
			.map(id -> rows.findByMessageId(id).orElseThrow())
			.toList();
	}

	private String linkOf(String leadId) {
		return leadMail.unsubscribeUrl(leadId).substring(settings.publicBaseUrl().length());
	}

	private String sigOf(String leadId) {
		String url = leadMail.unsubscribeUrl(leadId);
		return url.substring(url.indexOf("&sig=") + 5);
	}

	/** The text parts of a message by content type (walking multipart/mixed, related and alternative). */
	private static Map<String, Part> textParts(Part part) throws Exception {
		Map<String, Part> found = new LinkedHashMap<>();
		if (part.isMimeType("multipart/*")) {
			Multipart multipart = (Multipart) part.getContent();
			for (int i = 0; i < multipart.getCount(); i++) {
				BodyPart child = multipart.getBodyPart(i);
				found.putAll(textParts(child));
			}
		}
		else if (part.isMimeType("text/plain")) {
			found.put("text/plain", part);
		}
		else if (part.isMimeType("text/html")) {
			found.put("text/html", part);
		}
		return found;
	}

}
