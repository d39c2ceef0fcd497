package com.leadflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadflow.cluster.ClusterClient.Answer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Two Leadflow nodes (separate JVMs, {@link LeadflowNode}) on one MySQL-protocol database form a
 * Camunda cluster; the scenarios kill a node with {@code kill -9} (and stop the SMTP server) while
 * work is under way, and check with set-based SQL over Leadflow's and the engine's tables that
 * nothing was lost or done twice. Each scenario prints one {@code [reliability]} line with its
 * figures (the README's "Reliability" section quotes them). The nodes are shared by the scenarios, in
 * this order: API intake, CSV import, SMTP outage, timers with mail. The SMTP outage begins before the
 * import, so its minute of waiting overlaps the import and the kill of the import's worker.
 *
 * <p>Sizes are system properties ({@code leadflow.cluster.leads} 10,000, {@code .import-rows} 3,000,
 * {@code .timers} 1,000, {@code .queued-mails} 200, {@code .smtp-down-seconds} 60).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultIT {

	static final int LEADS = Integer.getInteger("leadflow.cluster.leads", 10_000);

	static final int IMPORT_ROWS = Integer.getInteger("leadflow.cluster.import-rows", 3_000);

	static final int TIMERS = Integer.getInteger("leadflow.cluster.timers", 1_000);

	static final int QUEUED_MAILS = Integer.getInteger("leadflow.cluster.queued-mails", 200);

	static final Duration SMTP_DOWN = Duration.ofSeconds(Long.getLong("leadflow.cluster.smtp-down-seconds", 60));

	static final int CLIENT_THREADS = 8;

	/** Every so many leads, the client sends the lead to both nodes at the same time. */
	static final int DOUBLE_SEND_EVERY = 50;

	/** How long a node keeps a job locked: a killed node's jobs run elsewhere after this. */
	static final Duration JOB_LOCK = Duration.ofSeconds(20);

	static final Duration IMPORT_STALE_AFTER = Duration.ofSeconds(15);

	static final Duration OUTBOX_CLAIM_TIMEOUT = Duration.ofSeconds(20);

	static final String CONTENT_TIMER = "TimerEvent_ContentDue";

	static final DateTimeFormatter ENGINE_REST_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
		.withZone(ZoneOffset.UTC);

	private final ObjectMapper json = new ObjectMapper();

	/** Distinguishes this run's leads (and mail recipients) from any other. */
	private final String run = UUID.randomUUID().toString().substring(0, 6);

	private ClusterDatabase db;

	private ClusterSmtp smtp;

	private LeadflowNode a;

	private LeadflowNode b;

	private List<LeadflowNode> nodes;

	private ClusterClient client;

	private long suiteStart;

	private final List<String> figures = Collections.synchronizedList(new ArrayList<>());

	/** Scenario d's SMTP outage, begun before scenario b so that the minute of waiting overlaps the import. */
	private SmtpOutage outage;

	/** Nodes killed so far. */
	private final AtomicInteger kills = new AtomicInteger();

	@RegisterExtension
	final TestWatcher logsOnFailure = new TestWatcher() {
		@Override
		public void testFailed(ExtensionContext context, Throwable cause) {
			if (nodes != null) {
				for (LeadflowNode node : nodes) {
					System.out.println("[cluster] " + node + " after the failure of " + context.getDisplayName() + ":\n"
							+ node.tail(60));
				}
			}
		}
	};

	@BeforeAll
	void startCluster() {
		suiteStart = System.nanoTime();
		db = ClusterDatabase.create();
		smtp = new ClusterSmtp(LeadflowNode.freePort());
		smtp.start();
		int portA = LeadflowNode.freePort();
		int portB = LeadflowNode.freePort();
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("spring.profiles.active", "mysql,demo");
		settings.put("spring.datasource.url", db.url());
		settings.put("spring.datasource.username", db.username());
		settings.put("spring.datasource.password", db.password());
		settings.put("spring.main.banner-mode", "off");
		// The demo users (the clients log in as them), no demo leads (the test counts its own).
		settings.put("leadflow.demo-data.enabled", "false");
		settings.put("camunda.bpm.job-execution.enabled", "true");
		settings.put("camunda.bpm.job-execution.lock-time-in-millis", Long.toString(JOB_LOCK.toMillis()));
		settings.put("leadflow.import.poll-interval", "1s");
		settings.put("leadflow.import.stale-after", IMPORT_STALE_AFTER.toSeconds() + "s");
		// A heartbeat every 50 rows: well within stale-after even on a busy machine, so a live node keeps its import.
		settings.put("leadflow.import.chunk-size", "50");
		settings.put("spring.mail.host", "127.0.0.1");
		settings.put("spring.mail.port", Integer.toString(smtp.port()));
		settings.put("spring.mail.properties.mail.smtp.connectiontimeout", "5000");
		settings.put("spring.mail.properties.mail.smtp.timeout", "5000");
		settings.put("spring.mail.properties.mail.smtp.writetimeout", "5000");
		// The same secret on every node: a link signed by one is honoured by the other.
		settings.put("leadflow.mail.unsubscribe-secret", "cluster-test-secret-shared-by-both-nodes-" + run);
		settings.put("leadflow.mail.public-base-url", "http://127.0.0.1:" + portA);
		settings.put("leadflow.mail.outbox.poll-interval", "1s");
		settings.put("leadflow.mail.outbox.claim-timeout", OUTBOX_CLAIM_TIMEOUT.toSeconds() + "s");
		settings.put("leadflow.mail.outbox.backoff-base", "2s");
		settings.put("leadflow.mail.outbox.backoff-max", "8s");
		settings.put("leadflow.mail.outbox.max-attempts", "100");
		// Only the mails the scenarios cause: no morning digest, no audit alert.
		settings.put("leadflow.mail.notices.digest.enabled", "false");
		settings.put("leadflow.mail.notices.audit-alert.enabled", "false");
		a = new LeadflowNode("node-a", portA, settings);
		b = new LeadflowNode("node-b", portB, settings);
		nodes = List.of(a, b);
		// The first node creates the schemas (Flyway, Camunda) and the demo users; then the second joins.
		Duration startA = a.start();
		Duration startB = b.start();
		client = new ClusterClient(nodes, Duration.ofSeconds(15), Duration.ofMinutes(5));
		System.out.println("[cluster] " + a + " started in " + startA.toMillis() + " ms, " + b + " in "
				+ startB.toMillis() + " ms; database " + db.name() + ", SMTP 127.0.0.1:" + smtp.port() + ", logs in "
				+ a.log().getParent());
	}

	@AfterAll
	void stopCluster() {
		if (client != null) {
			client.close();
		}
		if (nodes != null) {
			nodes.forEach(LeadflowNode::stop);
		}
		if (smtp != null) {
			smtp.close();
		}
		if (db != null) {
			db.close();
		}
		System.out.println("[reliability] cluster suite: " + figures.size() + " scenarios in "
				+ seconds(Duration.ofNanos(System.nanoTime() - suiteStart)) + " (start-up of both nodes included)");
	}

	// ------------------------------------------------------------------------------------------------
	// a. API intake with retries while a node is killed
	// ------------------------------------------------------------------------------------------------

	@Test
	@Order(1)
	void everyLeadSentThroughTheApiIsStoredOnceWhileANodeIsKilledAndRestarted() throws Exception {
		String prefix = "ka-" + run + "-";
		int killAfter = Integer.getInteger("leadflow.cluster.kill-after", LEADS * 3 / 10);
		client.resetFigures();
		AtomicInteger next = new AtomicInteger();
		AtomicInteger done = new AtomicInteger();
		AtomicInteger created = new AtomicInteger();
		AtomicInteger replayed = new AtomicInteger();
		AtomicInteger doubleSent = new AtomicInteger();
		List<String> failures = Collections.synchronizedList(new ArrayList<>());
		ExecutorService senders = Executors.newFixedThreadPool(CLIENT_THREADS);
		ExecutorService doubles = Executors.newFixedThreadPool(CLIENT_THREADS);
		long t0 = System.nanoTime();
		for (int t = 0; t < CLIENT_THREADS; t++) {
			senders.submit(() -> {
				int i;
				while ((i = next.getAndIncrement()) < LEADS && failures.size() < 10) {
					try {
						String lead = leadJson(prefix, i);
						List<Answer> answers = new ArrayList<>();
						if (i % DOUBLE_SEND_EVERY == 0) {
							// A client that gave up waiting and sent again while the first request still runs:
							// the same lead to both nodes at once.
							int first = i;
							java.util.concurrent.Future<Answer> other = doubles.submit(
									() -> client.postJson("/api/leads", "marketing", lead, first + 1));
							answers.add(client.postJson("/api/leads", "marketing", lead, i));
							answers.add(other.get(10, TimeUnit.MINUTES));
							doubleSent.incrementAndGet();
						}
						else {
							answers.add(client.postJson("/api/leads", "marketing", lead, i));
						}
						for (Answer answer : answers) {
							if (answer.status() == 201) {
								created.incrementAndGet();
							}
							else if (answer.status() == 200) {
								replayed.incrementAndGet();
							}
							else {
								failures.add("lead " + i + ": " + answer.status() + " " + answer.body());
							}
						}
					}
					catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
						failures.add("lead " + i + ": " + ex);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						failures.add("lead " + i + ": interrupted");
					}
					catch (RuntimeException ex) {
						failures.add("lead " + i + ": " + ex.getMessage());
					}
					done.incrementAndGet();
				}
			});
		}
		senders.shutdown();
		waitUntil(Duration.ofMinutes(10), () -> done.get() >= killAfter || senders.isTerminated());
		int doneAtKill = done.get();
		kill(a);
		long killedAt = System.nanoTime();
		Duration restart = a.start();
		int doneAtRestart = done.get();
		assertThat(senders.awaitTermination(20, TimeUnit.MINUTES)).as("clients finished").isTrue();
		Duration took = Duration.ofNanos(System.nanoTime() - t0);
		doubles.shutdown();
		assertThat(failures).as("requests without a definite 2xx answer").isEmpty();
		assertThat(created.get() + replayed.get()).as("answers").isEqualTo(LEADS + doubleSent.get());
		assertThat(created.get()).as("201 Created answers (at most one per lead)").isLessThanOrEqualTo(LEADS);
		assertThat(replayed.get()).as("200 answers: at least the second of each double send")
			.isGreaterThanOrEqualTo(doubleSent.get());

		Invariant leads = invariant(prefix);
		assertThat(leads.leads()).as("leads stored").isEqualTo(LEADS);
		assertThat(leads.distinctEmails()).as("distinct emails").isEqualTo(LEADS);
		assertThat(leads.createdEvents()).as("CREATED history events (one per lead)").isEqualTo(LEADS);
		assertThat(leads.leadProcesses()).as("lead process instances").isEqualTo(LEADS);
		assertThat(leads.leadsWithProcess()).as("leads with a lead process instance").isEqualTo(LEADS);
		assertThat(leads.openActions()).as("open next actions (at most one per lead by the unique key)").isEqualTo(LEADS);
		assertThat(leads.actions()).as("next actions ever planned (a lead started twice would have two)").isEqualTo(LEADS);
		assertThat(leads.openTasksMissing()).as("open actions whose user task is gone").isZero();
		assertThat(incidents()).as("incidents").isZero();
		assertThat(auditWithoutNextAction()).as("audit: leads without a next action").isZero();
		report("a. API intake, kill -9 mid-way", "leads sent " + LEADS + " by " + CLIENT_THREADS
				+ " clients, " + doubleSent + " of them twice at once to both nodes (answers 201: " + created
				+ ", 200 for a lead already in: " + replayed + "), " + client.figures()
				+ ", node kills 1 (node-a after " + doneAtKill + " leads; it was back after " + seconds(restart) + ", "
				+ (doneAtRestart - doneAtKill) + " leads went through node-b meanwhile), stored " + leads.leads()
				+ " leads / " + leads.leadProcesses() + " lead processes / " + leads.openActions()
				+ " open actions, duplicates 0, duration " + seconds(took) + " ("
				+ String.format("%.1f", LEADS / (took.toMillis() / 1000.0)) + " leads/s)");
		assertThat(killedAt).isPositive();
	}

	// ------------------------------------------------------------------------------------------------
	// b. CSV import interrupted by kill -9 and resumed
	// ------------------------------------------------------------------------------------------------

	@Test
	@Order(2)
	void aCsvImportInterruptedByKill9IsResumedAndEveryRowIsInOnce() throws Exception {
		// Scenario d's minute without SMTP runs meanwhile: its mails queue while this import is worked and its
		// worker is killed (the import's leads send no mail), and d checks after it that each arrives once.
		outage = beginSmtpOutage("kd-" + run + "-");
		String prefix = "kb-" + run + "-";
		StringBuilder csv = new StringBuilder("externalId,route,company,contactName,email,phone,timeZone,source,owner\n");
		for (int i = 0; i < IMPORT_ROWS; i++) {
			csv.append(prefix).append(i).append(",NURTURE,株式会社インポート").append(i).append(",山田 花子").append(i).append(',')
				.append(email(prefix, i)).append(",+81-3-5555-").append(String.format("%04d", i % 10000))
				.append(",Asia/Tokyo,EXHIBITION,").append(i % 2 == 0 ? "rep1" : "rep2").append('\n');
		}
		long t0 = System.nanoTime();
		Answer upload = client.send("POST", "/api/leads/import", "marketing", "text/csv; charset=UTF-8", csv.toString(), 1);
		assertThat(upload.status()).as(upload.body()).isEqualTo(202);
		String importId = json.readTree(upload.body()).get("id").asText();

		int killAt = IMPORT_ROWS / 3;
		waitUntil(Duration.ofMinutes(5), () -> rowsDone(importId) >= killAt);
		String claimedBy = db.text("SELECT claimed_by FROM lf_import WHERE id = ?", importId);
		LeadflowNode worker = nodeOfClaim(claimedBy);
		LeadflowNode other = worker == a ? b : a;
		kill(worker);
		long doneAtKill = rowsDone(importId);
		Duration restart = worker.start();
		// Whoever resumes it (the other node once the claim is stale, or the restarted one), it must end DONE.
		List<String> claimants = Collections.synchronizedList(new ArrayList<>());
		waitUntil(Duration.ofMinutes(6), () -> {
			String now = db.text("SELECT claimed_by FROM lf_import WHERE id = ?", importId);
			if (now != null && !now.equals(claimedBy) && !claimants.contains(now)) {
				claimants.add(now);
			}
			return "DONE".equals(db.text("SELECT status FROM lf_import WHERE id = ?", importId))
					|| "FAILED".equals(db.text("SELECT status FROM lf_import WHERE id = ?", importId));
		});
		Duration took = Duration.ofNanos(System.nanoTime() - t0);
		JsonNode view = json.readTree(client.get("/api/imports/" + importId, "marketing", 0).body());
		assertThat(view.get("status").asText()).isEqualTo("DONE");
		int total = view.get("total").asInt();
		int created = view.get("created").asInt();
		int deduplicated = view.get("deduplicated").asInt();
		int failed = view.get("failed").asInt();
		assertThat(total).isEqualTo(IMPORT_ROWS);
		assertThat(view.get("processed").asInt()).isEqualTo(total);
		assertThat(created + deduplicated + failed).as("created + deduplicated + failed").isEqualTo(total);
		assertThat(created).as("rows that created a lead").isEqualTo(total);
		assertThat(failed).isZero();
		assertThat(db.number("SELECT COUNT(*) FROM lf_import_row WHERE import_id = ? AND state = 'DONE'", importId))
			.isEqualTo(total);
		assertThat(db.number("SELECT COUNT(DISTINCT lead_id) FROM lf_import_row WHERE import_id = ?", importId))
			.as("distinct leads of the rows").isEqualTo(total);

		Invariant leads = invariant(prefix);
		assertThat(leads.leads()).as("leads by externalId").isEqualTo(IMPORT_ROWS);
		assertThat(leads.distinctEmails()).as("leads by email").isEqualTo(IMPORT_ROWS);
		assertThat(leads.createdEvents()).isEqualTo(IMPORT_ROWS);
		assertThat(leads.leadProcesses()).isEqualTo(IMPORT_ROWS);
		assertThat(leads.leadsWithProcess()).isEqualTo(IMPORT_ROWS);
		assertThat(leads.openActions()).isEqualTo(IMPORT_ROWS);
		assertThat(leads.actions()).isEqualTo(IMPORT_ROWS);
		assertThat(incidents()).isZero();
		String resumedBy = claimants.stream().map(c -> nodeOfClaim(c).name() + (nodeOfClaim(c) == worker ? " (restarted)" : ""))
			.distinct()
			.reduce((x, y) -> x + ", " + y)
			.orElse("?");
		report("b. CSV import, kill -9 of its worker", "rows " + total + ", node kills 1 (" + worker.name() + ", working it, after "
				+ doneAtKill + " rows; back after " + seconds(restart) + "), resumed by " + resumedBy + " (" + other.name()
				+ " could take it over after stale-after " + IMPORT_STALE_AFTER.toSeconds() + " s), created " + created
				+ " + deduplicated " + deduplicated + " + failed " + failed + " = " + total + ", leads stored "
				+ leads.leads() + ", duplicates 0, duration " + seconds(took));
	}

	// ------------------------------------------------------------------------------------------------
	// c. timers falling due while a node is killed
	// ------------------------------------------------------------------------------------------------

	@Test
	@Order(4)
	void timersFallingDueWhileANodeIsKilledFireOnceAndTheirMailsArriveOnce() throws Exception {
		String prefix = "kc-" + run + "-";
		long t0 = System.nanoTime();
		leadsWaitingForContent(prefix, TIMERS);
		Duration setup = Duration.ofNanos(System.nanoTime() - t0);
		List<String> jobs = contentTimerJobs();
		assertThat(jobs).as("content timers waiting").hasSize(TIMERS);

		Instant fireAt = Instant.now().plusSeconds(15);
		makeDue(jobs, fireAt);
		long firing = System.nanoTime();
		waitUntil(Duration.ofMinutes(3), () -> contentSent(prefix) >= TIMERS / 4);
		long firedAtKill = contentSent(prefix);
		kill(a);
		long sendingOfKilled = db.number("SELECT COUNT(*) FROM lf_outbox WHERE state = 'SENDING' AND claimed_by LIKE ?",
				"%:" + a.pid() + ":%");
		long lockedAtKill = db.number("SELECT COUNT(*) FROM ACT_RU_JOB j JOIN ACT_RU_JOBDEF d ON d.ID_ = j.JOB_DEF_ID_ "
				+ "WHERE d.ACT_ID_ = ? AND j.LOCK_OWNER_ IS NOT NULL", CONTENT_TIMER);
		Duration restart = a.start();
		waitUntil(Duration.ofMinutes(5), () -> contentTimersLeft() == 0 && outboxNotSent(prefix) == 0
				&& smtp.received(prefix).size() >= TIMERS);
		Duration fired = Duration.ofNanos(System.nanoTime() - firing);

		assertThat(contentTimersLeft()).as("content timers left").isZero();
		assertThat(incidents()).as("incidents").isZero();
		long timerRuns = db.number("SELECT COUNT(*) FROM ACT_HI_ACTINST h JOIN ACT_HI_PROCINST p ON p.ID_ = h.ROOT_PROC_INST_ID_ "
				+ "JOIN lf_lead l ON l.id = p.BUSINESS_KEY_ WHERE h.ACT_ID_ = ? AND h.END_TIME_ IS NOT NULL AND l.external_id LIKE ?",
				CONTENT_TIMER, prefix + "%");
		long sendSteps = db.number("SELECT COUNT(*) FROM ACT_HI_ACTINST h JOIN ACT_HI_PROCINST p ON p.ID_ = h.ROOT_PROC_INST_ID_ "
				+ "JOIN lf_lead l ON l.id = p.BUSINESS_KEY_ WHERE h.ACT_ID_ = 'Task_SendContent' AND l.external_id LIKE ?",
				prefix + "%");
		assertThat(timerRuns).as("content timers passed (engine history)").isEqualTo(TIMERS);
		assertThat(sendSteps).as("send-content steps run (engine history)").isEqualTo(TIMERS);
		assertThat(contentSent(prefix)).as("CONTENT_SENT events").isEqualTo(TIMERS);
		assertThat(db.number("SELECT COUNT(DISTINCT ev.lead_id) FROM lf_lead_event ev JOIN lf_lead l ON l.id = ev.lead_id "
				+ "WHERE ev.type = 'CONTENT_SENT' AND l.external_id LIKE ?", prefix + "%")).isEqualTo(TIMERS);
		assertThat(outboxRows(prefix)).as("outbox rows (one mail per timer)").isEqualTo(TIMERS);
		assertThat(outboxNotSent(prefix)).isZero();
		long resent = db.number("SELECT COUNT(*) FROM lf_outbox o JOIN lf_lead l ON l.id = o.lead_id "
				+ "WHERE l.external_id LIKE ? AND o.attempts > 1", prefix + "%");

		Mails mails = mails(prefix);
		assertThat(mails.recipients()).as("leads that got their mail").isEqualTo(TIMERS);
		assertThat(mails.sameIdDuplicates()).as("duplicates carry the Message-ID of the original").isEqualTo(mails.duplicates());
		assertThat(mails.maxCopies()).as("copies of one mail").isLessThanOrEqualTo(2);
		// Only a mail that the killed node had claimed (SENDING) can be sent again, after its claim expired.
		assertThat((long) mails.duplicates()).as("duplicates (mails the killed node held claimed: " + sendingOfKilled + ")")
			.isLessThanOrEqualTo(sendingOfKilled);

		Invariant leads = invariant(prefix);
		assertThat(leads.leadProcesses()).isEqualTo(TIMERS);
		assertThat(leads.openActions()).as("each lead planned its next action after the mail").isEqualTo(TIMERS);
		report("c. timers with mail, kill -9 while they fire", "timers " + TIMERS + " (set-up of leads and CALL completions "
				+ seconds(setup) + "), node kills 1 (node-a after " + firedAtKill + " timers had fired; " + lockedAtKill
				+ " timers locked at the kill, node-a back after " + seconds(restart) + "), timers fired " + timerRuns
				+ " (each once, 0 left, 0 incidents), mails delivered once " + (mails.recipients() - mails.duplicated())
				+ ", duplicates " + mails.duplicates() + " (same Message-ID; mails the killed node held claimed: " + sendingOfKilled
				+ ", re-sent after the claim timeout: " + resent + "), duration " + seconds(fired) + " from the due time");
	}

	// ------------------------------------------------------------------------------------------------
	// d. SMTP down for a minute
	// ------------------------------------------------------------------------------------------------

	@Test
	@Order(3)
	void mailQueuedWhileSmtpIsDownIsDeliveredOnceWhenItReturns() throws Exception {
		SmtpOutage down = outage != null ? outage : beginSmtpOutage("kd-" + run + "-");
		outage = null;
		String prefix = down.prefix();
		// The timers fire while the server is away: every mail is queued and has failed at least once (it may be
		// claimed for its next attempt right now: a claim counts an attempt). The server stays away for SMTP_DOWN, or longer if the timers
		// take longer than that to fire.
		waitUntil(Duration.ofMinutes(5), () -> db.number("SELECT COUNT(*) FROM lf_outbox o JOIN lf_lead l ON l.id = o.lead_id "
				+ "WHERE l.external_id LIKE ? AND ((o.state = 'PENDING' AND o.attempts >= 1) OR (o.state = 'SENDING' AND o.attempts >= 2))",
				prefix + "%") == QUEUED_MAILS);
		long queued = outboxRows(prefix);
		LeadflowNode.sleep(Math.max(0, SMTP_DOWN.toMillis() - (System.nanoTime() - down.since()) / 1_000_000));
		long attemptsWhileDown = db.number("SELECT COALESCE(SUM(o.attempts), 0) FROM lf_outbox o JOIN lf_lead l "
				+ "ON l.id = o.lead_id WHERE l.external_id LIKE ?", prefix + "%");
		long sentWhileDown = db.number("SELECT COUNT(*) FROM lf_outbox o JOIN lf_lead l ON l.id = o.lead_id "
				+ "WHERE l.external_id LIKE ? AND o.state = 'SENT'", prefix + "%");
		Duration duration = Duration.ofNanos(System.nanoTime() - down.since());
		int killsWhileDown = kills.get() - down.killsBefore();
		smtp.start();
		long up = System.nanoTime();
		// A mail held claimed by a killed node waits for the claim timeout before another node sends it.
		waitUntil(Duration.ofMinutes(3), () -> outboxNotSent(prefix) == 0 && smtp.received(prefix).size() >= QUEUED_MAILS);
		Duration delivered = Duration.ofNanos(System.nanoTime() - up);

		assertThat(queued).as("mails queued while SMTP was down").isEqualTo(QUEUED_MAILS);
		assertThat(sentWhileDown).as("mails marked sent while SMTP was down").isZero();
		assertThat(db.number("SELECT COUNT(*) FROM lf_outbox o JOIN lf_lead l ON l.id = o.lead_id "
				+ "WHERE l.external_id LIKE ? AND o.state = 'FAILED'", prefix + "%")).as("mails given up").isZero();
		Mails mails = mails(prefix);
		assertThat(mails.recipients()).as("mails delivered").isEqualTo(QUEUED_MAILS);
		// Nothing reached a server before it came back, so even a node killed meanwhile cannot cause a second copy.
		assertThat(mails.duplicates()).as("duplicates").isZero();
		assertThat(contentTimersLeft()).isZero();
		assertThat(incidents()).isZero();
		report("d. SMTP down", "mails queued " + queued + " while SMTP was down for " + seconds(duration) + " ("
				+ attemptsWhileDown + " attempts refused, 0 given up), node kills while it was down " + killsWhileDown
				+ (killsWhileDown > 0 ? " (scenario b's)" : "") + ", mails delivered once " + mails.recipients() + " within "
				+ seconds(delivered) + " of its return, duplicates 0");
	}

	/** Scenario d's outage: its leads wait for their content mail, SMTP is stopped, their timers are made due. */
	record SmtpOutage(String prefix, long since, int killsBefore) {
	}

	private SmtpOutage beginSmtpOutage(String prefix) throws Exception {
		leadsWaitingForContent(prefix, QUEUED_MAILS);
		List<String> jobs = contentTimerJobs();
		assertThat(jobs).as("content timers waiting").hasSize(QUEUED_MAILS);
		smtp.stop();
		SmtpOutage begun = new SmtpOutage(prefix, System.nanoTime(), kills.get());
		makeDue(jobs, Instant.now());
		return begun;
	}

	// ------------------------------------------------------------------------------------------------
	// helpers
	// ------------------------------------------------------------------------------------------------

	/** Leads of the scenario by set-based SQL over Leadflow's tables and the engine's runtime tables. */
	record Invariant(long leads, long distinctEmails, long createdEvents, long leadProcesses, long leadsWithProcess,
			long openActions, long actions, long openTasksMissing) {
	}

	private Invariant invariant(String prefix) {
		String like = prefix + "%";
		Object[] counts = db.rows("SELECT COUNT(*), COUNT(DISTINCT email_norm) FROM lf_lead WHERE external_id LIKE ?", like)
			.get(0);
		Object[] processes = db.rows("SELECT COUNT(*), COUNT(DISTINCT e.BUSINESS_KEY_) FROM ACT_RU_EXECUTION e "
				+ "JOIN ACT_RE_PROCDEF d ON d.ID_ = e.PROC_DEF_ID_ JOIN lf_lead l ON l.id = e.BUSINESS_KEY_ "
				+ "WHERE d.KEY_ = 'lead' AND e.ID_ = e.PROC_INST_ID_ AND l.external_id LIKE ?", like).get(0);
		return new Invariant(((Number) counts[0]).longValue(), ((Number) counts[1]).longValue(),
				db.number("SELECT COUNT(*) FROM lf_lead_event ev JOIN lf_lead l ON l.id = ev.lead_id "
						+ "WHERE ev.type = 'CREATED' AND l.external_id LIKE ?", like),
				((Number) processes[0]).longValue(), ((Number) processes[1]).longValue(),
				db.number("SELECT COUNT(*) FROM lf_next_action a JOIN lf_lead l ON l.id = a.open_lead_id "
						+ "WHERE l.external_id LIKE ?", like),
				db.number("SELECT COUNT(*) FROM lf_next_action a JOIN lf_lead l ON l.id = a.lead_id WHERE l.external_id LIKE ?",
						like),
				db.number("SELECT COUNT(*) FROM lf_next_action a JOIN lf_lead l ON l.id = a.open_lead_id "
						+ "LEFT JOIN ACT_RU_TASK t ON t.ID_ = a.task_id WHERE l.external_id LIKE ? AND a.task_id IS NOT NULL "
						+ "AND t.ID_ IS NULL", like));
	}

	/** NURTURE leads whose first CALL is completed CONTACTED: the cadence's next step is a CONTENT mail on a timer. */
	private void leadsWaitingForContent(String prefix, int count) throws Exception {
		client.resetFigures();
		List<String> actionIds = Collections.synchronizedList(new ArrayList<>());
		parallel(count, i -> {
			Answer answer = client.postJson("/api/leads", "marketing", leadJson(prefix, i, "NURTURE"), i);
			check(answer, 200, 201);
			actionIds.add(read(answer.body()).get("nextAction").get("id").asText());
			return null;
		});
		parallel(count, i -> {
			Answer done = client.postJson("/api/next-actions/" + actionIds.get(i) + "/complete", "manager",
					"{\"outcome\":\"CONTACTED\",\"note\":\"asked for a case study\"}", i);
			if (done.status() == 409 && done.attempts() > 1) {
				// An earlier attempt did it, its answer was lost (timeout): the completion is not repeated.
				return null;
			}
			check(done, 200);
			JsonNode next = read(done.body()).get("lead").get("nextAction");
			if (!"CONTENT".equals(next.get("type").asText())) {
				throw new IllegalStateException("expected a CONTENT step next, got " + next);
			}
			return null;
		});
	}

	/** Ids of the content timers' jobs, from the engine's REST API (as an admin). */
	private List<String> contentTimerJobs() throws Exception {
		Answer answer = client.get("/engine-rest/job?activityId=" + CONTENT_TIMER + "&maxResults=100000", "admin", 0);
		check(answer, 200);
		List<String> ids = new ArrayList<>();
		json.readTree(answer.body()).forEach(job -> ids.add(job.get("id").asText()));
		return ids;
	}

	private long contentTimersLeft() {
		Answer answer = client.get("/engine-rest/job/count?activityId=" + CONTENT_TIMER, "admin", 0);
		check(answer, 200);
		return read(answer.body()).get("count").asLong();
	}

	/** Sets the jobs' due date through the engine's REST API ({@code PUT /engine-rest/job/{id}/duedate}). */
	private void makeDue(List<String> jobs, Instant at) throws Exception {
		String body = "{\"duedate\":\"" + ENGINE_REST_DATE.format(at) + "\",\"cascade\":false}";
		parallel(jobs.size(), i -> {
			check(client.send("PUT", "/engine-rest/job/" + jobs.get(i) + "/duedate", "admin", "application/json", body, i),
					204);
			return null;
		});
	}

	private long contentSent(String prefix) {
		return db.number("SELECT COUNT(*) FROM lf_lead_event ev JOIN lf_lead l ON l.id = ev.lead_id "
				+ "WHERE ev.type = 'CONTENT_SENT' AND l.external_id LIKE ?", prefix + "%");
	}

	private long outboxRows(String prefix) {
		return db.number("SELECT COUNT(*) FROM lf_outbox o JOIN lf_lead l ON l.id = o.lead_id WHERE l.external_id LIKE ?",
				prefix + "%");
	}

	private long outboxNotSent(String prefix) {
		return db.number("SELECT COUNT(*) FROM lf_outbox o JOIN lf_lead l ON l.id = o.lead_id "
				+ "WHERE l.external_id LIKE ? AND o.state <> 'SENT'", prefix + "%");
	}

	private long incidents() {
		return db.number("SELECT COUNT(*) FROM ACT_RU_INCIDENT");
	}

	private long auditWithoutNextAction() {
		Answer audit = client.get("/api/audit", "manager", 0);
		check(audit, 200);
		return read(audit.body()).get("withoutNextAction").asLong();
	}

	private long rowsDone(String importId) {
		return db.number("SELECT COUNT(*) FROM lf_import_row WHERE import_id = ? AND state <> 'PENDING'", importId);
	}

	/** The node whose process holds a claim ({@code host:pid:random}). */
	private LeadflowNode nodeOfClaim(String claim) {
		Matcher m = Pattern.compile(":(\\d+):[^:]+$").matcher(String.valueOf(claim));
		if (!m.find()) {
			throw new IllegalStateException("unexpected claim " + claim);
		}
		long pid = Long.parseLong(m.group(1));
		return nodes.stream()
			.filter(n -> n.isAlive() && n.pid() == pid)
			.findFirst()
			.orElseGet(() -> pid == a.pid() ? a : pid == b.pid() ? b : null);
	}

	record Mails(int recipients, int duplicates, int duplicated, int sameIdDuplicates, int maxCopies) {
	}

	/** What GreenMail received for the scenario's recipients. */
	private Mails mails(String prefix) {
		Map<String, List<String>> received = smtp.received(prefix);
		int duplicates = 0;
		int duplicated = 0;
		int sameId = 0;
		int maxCopies = 0;
		for (List<String> ids : received.values()) {
			maxCopies = Math.max(maxCopies, ids.size());
			if (ids.size() > 1) {
				duplicated++;
				duplicates += ids.size() - 1;
				sameId += (int) ids.stream().skip(1).filter(id -> id != null && id.equals(ids.get(0))).count();
			}
		}
		return new Mails(received.size(), duplicates, duplicated, sameId, maxCopies);
	}

	private String leadJson(String prefix, int i) {
		String[] routes = { "NURTURE", "NURTURE", "OUTBOUND", "UPSELL" };
		return leadJson(prefix, i, routes[i % routes.length]);
	}

	private String leadJson(String prefix, int i, String route) {
		return "{\"externalId\":\"" + prefix + i + "\",\"route\":\"" + route + "\",\"company\":\"株式会社クラスタ" + i
				+ "\",\"contactName\":\"佐藤 一郎" + i + "\",\"email\":\"" + email(prefix, i) + "\",\"phone\":\"+81-3-6666-"
				+ String.format("%04d", i % 10000) + "\",\"timeZone\":\"Asia/Tokyo\",\"source\":\"WEB\",\"owner\":\""
				+ (i % 2 == 0 ? "rep1" : "rep2") + "\"}";
	}

	private static String email(String prefix, int i) {
		return prefix + i + "@cluster.example.jp";
	}

	private void parallel(int count, IntFunction<Void> work) throws Exception {
		AtomicInteger next = new AtomicInteger();
		List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
		ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);
		for (int t = 0; t < CLIENT_THREADS; t++) {
			pool.submit(() -> {
				int i;
				while ((i = next.getAndIncrement()) < count && failures.isEmpty()) {
					try {
						work.apply(i);
					}
					catch (RuntimeException ex) {
						failures.add(ex);
					}
				}
			});
		}
		pool.shutdown();
		assertThat(pool.awaitTermination(15, TimeUnit.MINUTES)).isTrue();
		if (!failures.isEmpty()) {
			throw new AssertionError(failures.size() + " requests failed, first: " + failures.get(0), failures.get(0));
		}
	}

	private JsonNode read(String body) {
		try {
			return json.readTree(body);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(body, ex);
		}
	}

	private static void check(Answer answer, int... expected) {
		for (int status : expected) {
			if (answer.status() == status) {
				return;
			}
		}
		throw new IllegalStateException("answer " + answer.status() + " from " + answer.node() + ": " + answer.body());
	}

	private static void waitUntil(Duration timeout, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("condition not reached within " + timeout);
			}
			LeadflowNode.sleep(250);
		}
	}

	private void kill(LeadflowNode node) {
		node.kill9();
		kills.incrementAndGet();
	}

	private void report(String scenario, String text) {
		String line = "[reliability] " + scenario + ": " + text;
		figures.add(line);
		System.out.println(line);
	}

	private static String seconds(Duration d) {
		return String.format("%.1f s", d.toMillis() / 1000.0);
	}

}
