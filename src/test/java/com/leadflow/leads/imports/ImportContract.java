package com.leadflow.leads.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadflow.leads.LeadIntakeService;
import com.leadflow.process.LeadProcess;
import com.leadflow.scheduling.RepRepository;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.util.unit.DataSize;

/**
 * Bulk CSV import through the API, run on H2 and on MySQL. The background poller is off in tests
 * ({@code leadflow.import.worker-enabled: false}); tests drive the {@link ImportWorker} by hand,
 * and one starts a poller of its own. Context and database are shared with other test classes:
 * every test uses its own externalIds, emails and a fresh rep as owner.
 */
abstract class ImportContract {

	static final String HEADER = "externalId,route,company,contactName,email,phone,timeZone,source,owner,note";

	@Autowired
	MockMvc mvc;

	@Autowired
	ObjectMapper json;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	RuntimeService runtime;

	@Autowired
	IdentityService identity;

	@Autowired
	RepRepository reps;

	@Autowired
	ImportWorker worker;

	@Autowired
	ImportProperties properties;

	@Autowired
	ImportRepository importRepository;

	@Autowired
	LeadRows leadRows;

	@Autowired
	LeadIntakeService intake;

	@Autowired
	NodeId node;

	@Autowired
	PlatformTransactionManager transactions;

	/** Prefix of every externalId and email of this test. */
	String run;

	/** A rep of this test alone, so its leads touch no other test's counts. */
	String rep;

	@BeforeEach
	void freshIdsAndRep() {
		String random = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		run = "imp-" + random;
		rep = "imprep" + random;
		User user = identity.newUser(rep);
		user.setPassword(rep);
		identity.saveUser(user);
		identity.createMembership(rep, "reps");
	}

	@AfterEach
	void retireRep() {
		// Still in the reps group but inactive: it never takes leads of other tests.
		reps.save(rep, false, null);
	}

	// --- rows, duplicates, encodings, CSV syntax -------------------------------------------------

	@Test
	void importsGoodRowsAndReportsEachBadRowWithRowFieldAndMessage() throws Exception {
		String csv = lines(HEADER,
				row("ok-1", "NURTURE", "Good One KK", "Ichiro", mail("ok1"), "", "", "EXHIBITION", rep, "first"),
				row("bad-email", "NURTURE", "Bad Mail KK", "", "not-an-email", "", "", "", rep, ""),
				row("bad-route", "SIDEWAYS", "Bad Route KK", "", mail("route"), "", "", "", rep, ""),
				row("no-company", "UPSELL", "", "", mail("company"), "", "", "", rep, ""),
				row("bad-owner", "NURTURE", "Bad Owner KK", "", mail("owner"), "", "", "", "nobody-" + run, ""),
				run + "-short,NURTURE,Short Row KK",
				row("ok-7", "OUTBOUND", "Phone Only KK", "", "", "+81-3-1234-5678", "Asia/Tokyo", "LIST", rep, ""),
				row("no-contact", "NURTURE", "No Contact KK", "", "", "", "", "", rep, ""),
				row("bad-zone", "NURTURE", "Bad Zone KK", "", mail("zone"), "", "Mars/Olympus", "", rep, ""));

		MvcResult accepted = upload(csv, "text/csv").andReturn();
		assertThat(accepted.getResponse().getStatus()).isEqualTo(202);
		String id = json.readTree(accepted.getResponse().getContentAsString()).get("id").asText();
		assertThat(accepted.getResponse().getHeader("Location")).isEqualTo("/api/imports/" + id);

		JsonNode before = status(id);
		assertThat(before.get("status").asText()).isEqualTo("RUNNING");
		assertThat(before.get("total").asInt()).isEqualTo(9);
		// The short row cannot be read as a lead at all; it is refused while storing.
		assertThat(before.get("processed").asInt()).isEqualTo(1);
		assertThat(before.get("failed").asInt()).isEqualTo(1);

		work(id);

		JsonNode done = status(id);
		assertThat(done.get("status").asText()).isEqualTo("DONE");
		assertThat(done.get("total").asInt()).isEqualTo(9);
		assertThat(done.get("processed").asInt()).isEqualTo(9);
		assertThat(done.get("created").asInt()).isEqualTo(2);
		assertThat(done.get("deduplicated").asInt()).isZero();
		assertThat(done.get("failed").asInt()).isEqualTo(7);
		assertThat(done.get("errorsTruncated").asBoolean()).isFalse();
		assertThat(done.get("createdAt").isNull()).isFalse();
		assertThat(done.get("finishedAt").isNull()).isFalse();
		assertThat(errors(done)).containsExactly(
				"2|email|must be a well-formed email address",
				"3|route|invalid value 'SIDEWAYS'; allowed: [NURTURE, UPSELL, RECYCLE, OUTBOUND]",
				"4|company|must not be blank",
				"5|owner|unknown owner 'nobody-" + run + "': not an active member of the reps group",
				"6|null|the row has 3 values but the header has 10 columns",
				"8|email|email or phone is required",
				"9|timeZone|unknown time zone 'Mars/Olympus' (use an IANA name such as Asia/Tokyo)");

		assertThat(leadCount(run + "-ok-1")).isEqualTo(1);
		assertThat(leadCount(run + "-ok-7")).isEqualTo(1);
		for (String bad : List.of("bad-email", "bad-route", "no-company", "bad-owner", "short", "no-contact", "bad-zone")) {
			assertThat(leadCount(run + "-" + bad)).as(bad).isZero();
		}
		JsonNode lead = lead(run + "-ok-7");
		assertThat(lead.get("route").asText()).isEqualTo("OUTBOUND");
		assertThat(lead.get("phone").asText()).isEqualTo("+81-3-1234-5678");
		assertThat(lead.get("owner").asText()).isEqualTo(rep);
		assertThat(lead.get("nextAction").isNull()).isFalse();
		assertThat(processCount(leadId(run + "-ok-1"))).isEqualTo(1);
		// The uploader is who handed the leads in, as with the single-lead API.
		assertThat(jdbc.sql("SELECT by_user FROM lf_lead_event WHERE lead_id = ? AND type = 'CREATED'")
			.param(leadId(run + "-ok-1"))
			.query(String.class)
			.single()).isEqualTo("marketing");
	}

	@Test
	void recognisesDuplicatesWithinTheFileAndAgainstTheDatabase() throws Exception {
		String existing = createLeadThroughApi(run + "-db", mail("db"));

		String csv = lines(HEADER,
				// same externalId as a lead in the database
				row("db", "NURTURE", "Again KK", "", mail("other"), "", "", "", rep, ""),
				// new externalId, but the email of that active lead (in another case)
				row("db-person", "NURTURE", "Same Person KK", "", mail("db").toUpperCase(), "", "", "WEB", rep, "seen at expo"),
				row("file", "NURTURE", "New One KK", "", mail("file"), "", "", "", rep, ""),
				// same externalId twice in the file
				row("file", "NURTURE", "New One KK", "", mail("file"), "", "", "", rep, ""),
				// same person twice in the file under another externalId
				row("file-person", "UPSELL", "New One KK", "", mail("file"), "", "", "", rep, ""));
		String id = uploadAccepted(csv);
		work(id);

		JsonNode done = status(id);
		assertThat(done.get("status").asText()).isEqualTo("DONE");
		assertThat(done.get("created").asInt()).isEqualTo(1);
		assertThat(done.get("deduplicated").asInt()).isEqualTo(4);
		assertThat(done.get("failed").asInt()).isZero();
		assertThat(done.get("errors")).isEmpty();

		assertThat(leadCount(run + "-db")).isEqualTo(1);
		assertThat(leadCount(run + "-db-person")).isZero();
		assertThat(leadCount(run + "-file")).isEqualTo(1);
		assertThat(leadCount(run + "-file-person")).isZero();
		assertThat(processCount(existing)).isEqualTo(1);
		assertThat(processCount(leadId(run + "-file"))).isEqualTo(1);
		// The same person seen again is recorded on the existing lead; a repeated externalId is not.
		assertThat(engagements(existing)).isEqualTo(1);
		assertThat(engagements(leadId(run + "-file"))).isEqualTo(1);
		assertThat(rowLeadIds(id)).containsExactly(existing, existing, leadId(run + "-file"), leadId(run + "-file"),
				leadId(run + "-file"));
	}

	@Test
	void readsShiftJisWithJapaneseNamesExactly() throws Exception {
		String company = "株式会社テスト商事";
		String contact = "山田 太郎";
		String note = "展示会で名刺交換、価格に関心あり（見積依頼）";
		String csv = lines(HEADER, row("sjis", "NURTURE", company, contact, mail("sjis"), "", "", "展示会", rep, note));
		byte[] body = csv.getBytes(Charset.forName("Shift_JIS"));
		assertThat(new String(body, Charset.forName("Shift_JIS"))).isEqualTo(csv);

		String id = uploadAccepted(body, "text/csv; charset=Shift_JIS");
		work(id);

		assertThat(status(id).get("created").asInt()).isEqualTo(1);
		JsonNode lead = lead(run + "-sjis");
		assertThat(lead.get("company").asText()).isEqualTo(company);
		assertThat(lead.get("contactName").asText()).isEqualTo(contact);
		assertThat(lead.get("source").asText()).isEqualTo("展示会");
		assertThat(jdbc.sql("SELECT note FROM lf_lead WHERE external_id = ?").param(run + "-sjis").query(String.class).single())
			.isEqualTo(note);
	}

	@Test
	void readsWindows31jWithTheCharactersExcelWrites() throws Exception {
		// NEC and IBM extensions that plain Shift_JIS does not have, and the full-width tilde of MS932.
		String company = "㈱サンプル髙島屋①";
		String contact = "髙橋 ～ 﨑";
		String csv = lines(HEADER, row("ms932", "NURTURE", company, contact, mail("ms932"), "", "", "", rep, ""));
		byte[] body = csv.getBytes(Charset.forName("windows-31j"));
		assertThat(new String(body, Charset.forName("windows-31j"))).isEqualTo(csv);

		String id = uploadAccepted(body, "text/csv;charset=MS932");
		work(id);

		JsonNode lead = lead(run + "-ms932");
		assertThat(lead.get("company").asText()).isEqualTo(company);
		assertThat(lead.get("contactName").asText()).isEqualTo(contact);

		// The same bytes declared as plain Shift_JIS are refused, not stored garbled.
		JsonNode refused = problem(upload(body, "text/csv; charset=Shift_JIS").andReturn(), 400);
		assertThat(refused.get("detail").asText()).contains("not valid Shift_JIS").contains("Windows-31J");
	}

	@Test
	void refusesShiftJisBytesSentAsUtf8() throws Exception {
		String csv = lines(HEADER, row("sjis-as-utf8", "NURTURE", "株式会社テスト", "", mail("x"), "", "", "", rep, ""));
		JsonNode refused = problem(upload(csv.getBytes(Charset.forName("Shift_JIS")), "text/csv").andReturn(), 400);
		assertThat(refused.get("detail").asText()).contains("not valid UTF-8").contains("charset=Shift_JIS");
		assertThat(leadCount(run + "-sjis-as-utf8")).isZero();
	}

	@Test
	void acceptsUtf8WithAndWithoutByteOrderMark() throws Exception {
		String company = "株式会社ビーオーエム 🍣";
		String withBom = "\uFEFF" + lines(HEADER, row("bom", "NURTURE", company, "佐藤 花子", mail("bom"), "", "", "", rep, ""));
		String id = uploadAccepted(withBom.getBytes(StandardCharsets.UTF_8), "text/csv; charset=UTF-8");
		String plain = lines(HEADER, row("nobom", "NURTURE", company, "佐藤 花子", mail("nobom"), "", "", "", rep, ""));
		String id2 = uploadAccepted(plain.getBytes(StandardCharsets.UTF_8), "text/csv");
		work(id);
		work(id2);

		assertThat(status(id).get("created").asInt()).isEqualTo(1);
		assertThat(status(id2).get("created").asInt()).isEqualTo(1);
		assertThat(lead(run + "-bom").get("company").asText()).isEqualTo(company);
		assertThat(lead(run + "-nobom").get("company").asText()).isEqualTo(company);
	}

	@Test
	void readsQuotedFieldsWithCommasLineBreaksAndQuotes() throws Exception {
		String note = "called twice, no answer\r\nthen: \"send the brochure\", please";
		String csv = "EXTERNALID,Route,Company,contactname,EMAIL,note,lossReason\r\n"
				+ run + "-quoted,RECYCLE,\"Acme, Inc.\",\"O'Brien, \"\"Pat\"\"\"," + mail("quoted") + ",\"" + note.replace("\"", "\"\"")
				+ "\",COMPETITOR\r\n"
				+ run + "-plain,NURTURE,Plain KK,,," + "\"\"" + ",\r\n";
		// The second row has neither email nor phone: its error must say row 2, although the file
		// has more lines than that before it.
		String id = uploadAccepted(csv);
		work(id);

		JsonNode done = status(id);
		assertThat(done.get("created").asInt()).isEqualTo(1);
		assertThat(errors(done)).containsExactly("2|email|email or phone is required");
		JsonNode lead = lead(run + "-quoted");
		assertThat(lead.get("company").asText()).isEqualTo("Acme, Inc.");
		assertThat(lead.get("contactName").asText()).isEqualTo("O'Brien, \"Pat\"");
		assertThat(lead.get("route").asText()).isEqualTo("RECYCLE");
		assertThat(jdbc.sql("SELECT note FROM lf_lead WHERE external_id = ?").param(run + "-quoted").query(String.class).single())
			.isEqualTo(note);
		assertThat(jdbc.sql("SELECT loss_reason FROM lf_lead WHERE external_id = ?")
			.param(run + "-quoted")
			.query(String.class)
			.single()).isEqualTo("COMPETITOR");
	}

	@Test
	void blankLinesAreSkippedButKeepTheirRowNumber() throws Exception {
		String csv = lines(HEADER, row("b1", "NURTURE", "Blank One KK", "", mail("b1"), "", "", "", rep, ""), "",
				",,,,,,,,,", row("b4", "NURTURE", "", "", mail("b4"), "", "", "", rep, ""));
		String id = uploadAccepted(csv);
		work(id);

		JsonNode done = status(id);
		assertThat(done.get("total").asInt()).isEqualTo(2);
		assertThat(errors(done)).containsExactly("4|company|must not be blank");
	}

	// --- limits and refusals ---------------------------------------------------------------------

	@Test
	void refusesAFileOverTheSizeLimitWith413() throws Exception {
		long imports = importCount();
		int max = (int) properties.maxSize().toBytes();
		byte[] body = new byte[max + 1];
		byte[] start = (HEADER + "\r\n").getBytes(StandardCharsets.UTF_8);
		System.arraycopy(start, 0, body, 0, start.length);
		java.util.Arrays.fill(body, start.length, body.length, (byte) 'x');

		JsonNode refused = problem(upload(body, "text/csv").andReturn(), 413);
		assertThat(refused.get("detail").asText()).contains(String.valueOf(max));
		assertThat(importCount()).isEqualTo(imports);
	}

	@Test
	void countsBytesWhileReadingWhateverTheDeclaredLength() throws Exception {
		long max = DataSize.ofMegabytes(50).toBytes();
		assertThat(properties.maxSize().toBytes()).isEqualTo(max);
		// A chunked upload has no Content-Length: the limit must hold while the body streams in.
		assertThatThrownBy(() -> ImportService.spool(zeros(max + 1), max)).isInstanceOf(LeadCsv.TooLarge.class);
		Path exact = ImportService.spool(zeros(max), max);
		try {
			assertThat(Files.size(exact)).isEqualTo(max);
		}
		finally {
			Files.delete(exact);
		}
	}

	@Test
	void refusesMoreThanTheRowLimitWith413() throws Exception {
		assertThat(properties.maxRows()).isEqualTo(100_000);
		long imports = importCount();
		StringBuilder csv = new StringBuilder("externalId,route,company,phone\r\n");
		for (int i = 1; i <= properties.maxRows() + 1; i++) {
			csv.append(run).append('-').append(i).append(",NURTURE,Row KK,03-1234-5678\r\n");
		}
		JsonNode refused = problem(upload(csv.toString(), "text/csv").andReturn(), 413);
		assertThat(refused.get("detail").asText()).contains("more than 100000 data rows");
		assertThat(importCount()).isEqualTo(imports);
		assertThat(leadCount(run + "-1")).isZero();

		// Exactly the limit is fine (checked on the reader alone: storing 100,000 rows is not this test's point).
		int lastLine = csv.lastIndexOf(run + "-" + (properties.maxRows() + 1) + ",");
		Path file = Files.createTempFile("import-test", ".csv");
		try {
			Files.writeString(file, csv.substring(0, lastLine));
			assertThat(LeadCsv.read(file, StandardCharsets.UTF_8, properties.maxRows(), row -> {
			})).isEqualTo(100_000);
		}
		finally {
			Files.delete(file);
		}
	}

	@Test
	void refusesBadHeadersNamingTheColumn() throws Exception {
		JsonNode unknown = problem(upload(lines("externalId,route,company,fax,email", run + ",NURTURE,KK,123," + mail("h")),
				"text/csv").andReturn(), 400);
		assertThat(fieldErrors(unknown)).containsExactly(
				"fax|unknown column; the columns are externalId, route, company, contactName, email, phone, timeZone, source, "
						+ "owner, note, lossReason");
		assertThat(unknown.get("detail").asText()).contains("fax");

		JsonNode missing = problem(upload(lines("externalId,email", run + "," + mail("h")), "text/csv").andReturn(), 400);
		assertThat(fieldErrors(missing)).containsExactly("route|required column is missing",
				"company|required column is missing");

		JsonNode twice = problem(upload(lines("externalId,route,company,Email,email", run + ",NURTURE,KK,a@b.jp,a@b.jp"),
				"text/csv").andReturn(), 400);
		assertThat(fieldErrors(twice)).containsExactly("email|column appears more than once");

		JsonNode empty = problem(upload("", "text/csv").andReturn(), 400);
		assertThat(empty.get("detail").asText()).contains("empty");

		JsonNode headerOnly = problem(upload(lines(HEADER), "text/csv").andReturn(), 400);
		assertThat(headerOnly.get("detail").asText()).contains("no data rows");

		JsonNode unclosed = problem(upload(lines(HEADER, run + ",NURTURE,\"Unclosed KK,,,,,,,"), "text/csv").andReturn(), 400);
		assertThat(unclosed.get("detail").asText()).contains("not valid CSV");

		problem(upload(lines(HEADER), "application/json").andReturn(), 415);
		problem(upload(lines(HEADER, row("latin", "NURTURE", "KK", "", mail("l"), "", "", "", rep, "")),
				"text/csv; charset=ISO-8859-1").andReturn(), 415);
		assertThat(leadCount(run + "-latin")).isZero();
	}

	@Test
	void onlyMarketingAndManagersMayImport() throws Exception {
		String csv = lines(HEADER, row("sec", "NURTURE", "Secure KK", "", mail("sec"), "", "", "", rep, ""));
		assertThat(mvc.perform(post("/api/leads/import").with(httpBasic("rep1", "rep1"))
			.contentType("text/csv")
			.content(csv)).andReturn().getResponse().getStatus()).isEqualTo(403);
		assertThat(mvc.perform(post("/api/leads/import").contentType("text/csv").content(csv))
			.andReturn()
			.getResponse()
			.getStatus()).isEqualTo(401);

		String id = json.readTree(mvc.perform(post("/api/leads/import").with(httpBasic("manager", "manager"))
			.contentType("text/csv")
			.content(csv)).andReturn().getResponse().getContentAsString()).get("id").asText();
		assertThat(mvc.perform(get("/api/imports/" + id).with(httpBasic("rep1", "rep1")))
			.andReturn()
			.getResponse()
			.getStatus()).isEqualTo(403);
		work(id);
		assertThat(status(id).get("created").asInt()).isEqualTo(1);
	}

	@Test
	void unknownImportIs404() throws Exception {
		MvcResult result = mvc.perform(get("/api/imports/" + UUID.randomUUID()).with(httpBasic("marketing", "marketing")))
			.andReturn();
		problem(result, 404);
	}

	@Test
	void listsAtMostTheErrorLimitAndSaysSo() throws Exception {
		StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
		int rows = properties.maxErrors() + 5;
		for (int i = 1; i <= rows; i++) {
			csv.append(run).append('-').append(i).append(",NURTURE\r\n");
		}
		String id = uploadAccepted(csv.toString());
		work(id);

		JsonNode done = status(id);
		assertThat(done.get("status").asText()).isEqualTo("DONE");
		assertThat(done.get("failed").asInt()).isEqualTo(rows);
		assertThat(done.get("errors")).hasSize(properties.maxErrors());
		assertThat(done.get("errors").get(0).get("row").asInt()).isEqualTo(1);
		assertThat(done.get("errors").get(properties.maxErrors() - 1).get("row").asInt()).isEqualTo(properties.maxErrors());
		assertThat(done.get("errorsTruncated").asBoolean()).isTrue();
	}

	// --- restart and cluster safety --------------------------------------------------------------

	@Test
	void resumesAStoppedImportWithoutCreatingAnyLeadTwice() throws Exception {
		List<String> rows = new ArrayList<>();
		rows.add(HEADER);
		for (int i = 1; i <= 7; i++) {
			rows.add(row("r" + i, "NURTURE", "Resume " + i + " KK", "", mail("r" + i), "", "", "", rep, ""));
		}
		rows.add(row("r3", "NURTURE", "Resume 3 KK", "", mail("r3"), "", "", "", rep, ""));
		String id = uploadAccepted(lines(rows.toArray(String[]::new)));

		// A node works on three rows, then dies holding the claim.
		assertThat(worker.processChunk(id, 3)).isEqualTo(3);
		JsonNode halfWay = status(id);
		assertThat(halfWay.get("status").asText()).isEqualTo("RUNNING");
		assertThat(halfWay.get("processed").asInt()).isEqualTo(3);
		assertThat(halfWay.get("created").asInt()).isEqualTo(3);

		// While the dead node's heartbeat is fresh, nobody else touches the import ...
		claimBy(id, "crashed-host:4711:deadbeef", Instant.now());
		assertThat(worker.processChunk(id, 3)).isEqualTo(-1);
		worker.runOnce();
		assertThat(status(id).get("processed").asInt()).isEqualTo(3);

		// ... once it is stale, the next poll (or start) takes over and finishes.
		claimBy(id, "crashed-host:4711:deadbeef", Instant.now().minus(properties.staleAfter()).minusSeconds(5));
		worker.runOnce();

		JsonNode done = status(id);
		assertThat(done.get("status").asText()).isEqualTo("DONE");
		assertThat(done.get("processed").asInt()).isEqualTo(8);
		assertThat(done.get("created").asInt()).isEqualTo(7);
		assertThat(done.get("deduplicated").asInt()).isEqualTo(1);
		for (int i = 1; i <= 7; i++) {
			assertThat(leadCount(run + "-r" + i)).as("r" + i).isEqualTo(1);
			assertThat(processCount(leadId(run + "-r" + i))).as("process of r" + i).isEqualTo(1);
		}
	}

	@Test
	void rerunningARowWhoseLeadExistsCreatesNothing() throws Exception {
		String id = uploadAccepted(lines(HEADER, row("again", "NURTURE", "Again KK", "", mail("again"), "", "", "", rep, "")));
		work(id);
		String leadId = leadId(run + "-again");

		// As if the row's mark had been lost after its lead was committed (it cannot be: both are in
		// one transaction), and the import were stale: working it again must not create anything.
		jdbc.sql("UPDATE lf_import_row SET state = 'PENDING', outcome = NULL, lead_id = NULL WHERE import_id = ?")
			.param(id)
			.update();
		jdbc.sql("UPDATE lf_import SET status = 'RUNNING', finished_at = NULL WHERE id = ?").param(id).update();
		claimBy(id, "crashed-host:1:00000000", Instant.now().minus(Duration.ofHours(1)));
		worker.runOnce();

		assertThat(status(id).get("status").asText()).isEqualTo("DONE");
		assertThat(leadCount(run + "-again")).isEqualTo(1);
		assertThat(processCount(leadId)).isEqualTo(1);
		assertThat(rowLeadIds(id)).containsExactly(leadId);
		assertThat(jdbc.sql("SELECT outcome FROM lf_import_row WHERE import_id = ?").param(id).query(String.class).single())
			.isEqualTo("EXISTING");
	}

	@Test
	void backgroundPollerWorksImportsAndReleasesThemOnStop() throws Exception {
		int rows = 120;
		List<String> lines = new ArrayList<>();
		lines.add(HEADER);
		for (int i = 1; i <= rows; i++) {
			lines.add(row("bg" + i, i % 2 == 0 ? "NURTURE" : "OUTBOUND", "Background " + i + " KK", "", mail("bg" + i), "",
					"", "", rep, ""));
		}
		String id = uploadAccepted(lines(lines.toArray(String[]::new)));

		ImportProperties fast = new ImportProperties(true, Duration.ofMillis(100), 2, 50, properties.staleAfter(),
				properties.maxRows(), properties.maxSize(), properties.maxErrors());
		ImportPoller poller = new ImportPoller(worker, fast);
		long started = System.nanoTime();
		poller.start();
		try {
			JsonNode done = awaitDone(id, Duration.ofMinutes(3));
			long millis = (System.nanoTime() - started) / 1_000_000;
			System.out.printf("[ImportContract] %s: %d rows in %d ms by the background poller = %.0f rows/s%n",
					getClass().getSimpleName(), rows, millis, rows * 1000.0 / millis);
			assertThat(done.get("created").asInt()).isEqualTo(rows);
		}
		finally {
			poller.stop();
		}
		assertThat(poller.isRunning()).isFalse();
		for (int i = 1; i <= rows; i += 17) {
			assertThat(processCount(leadId(run + "-bg" + i))).isEqualTo(1);
		}

		// Stopped in the middle, a poller finishes the row at hand and gives the import up, so the
		// next start (or another node) need not wait for the claim to go stale.
		List<String> more = new ArrayList<>();
		more.add(HEADER);
		for (int i = 1; i <= rows; i++) {
			more.add(row("stop" + i, "NURTURE", "Stopped " + i + " KK", "", mail("stop" + i), "", "", "", rep, ""));
		}
		String second = uploadAccepted(lines(more.toArray(String[]::new)));
		ImportPoller stopped = new ImportPoller(worker, fast);
		stopped.start();
		try {
			long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
			while (doneRows(second) == 0) {
				assertThat(System.nanoTime()).as("poller started on the import").isLessThan(deadline);
				Thread.sleep(5);
			}
		}
		finally {
			stopped.stop();
		}
		long doneAtStop = doneRows(second);
		assertThat(doneAtStop).isBetween(1L, (long) rows - 1);
		assertThat(jdbc.sql("SELECT claimed_by FROM lf_import WHERE id = ?").param(second).query(String.class).optional())
			.isEmpty();
		assertThat(status(second).get("status").asText()).isEqualTo("RUNNING");

		work(second);
		JsonNode resumed = status(second);
		assertThat(resumed.get("created").asInt()).isEqualTo(rows);
		for (int i = 1; i <= rows; i++) {
			assertThat(leadCount(run + "-stop" + i)).isEqualTo(1);
			assertThat(processCount(leadId(run + "-stop" + i))).isEqualTo(1);
		}
	}

	@Test
	void threadsSharingAFileKeepRowsOfOnePersonInFileOrder() throws Exception {
		// Chunks of 2 rows, 4 threads: rows 2k+2 and 2k+3 name the same person and lie in neighbouring
		// chunks, which different threads take at once. The earlier row must create the lead.
		List<String> lines = new ArrayList<>();
		lines.add(HEADER);
		lines.add(row("solo", "NURTURE", "Solo KK", "", mail("solo"), "", "", "", rep, ""));
		int pairs = 11;
		for (int k = 0; k < pairs; k++) {
			lines.add(row("a" + k, "NURTURE", "First " + k + " KK", "", mail("s" + k), "", "", "", rep, ""));
			// One pair repeats the externalId, the others the email under a new externalId.
			lines.add(row(k == 5 ? "a" + k : "b" + k, "OUTBOUND", "Second " + k + " KK", "", mail("s" + k), "", "", "", rep,
					""));
		}
		String id = uploadAccepted(lines(lines.toArray(String[]::new)));

		ImportProperties shared = new ImportProperties(true, Duration.ofMillis(20), 4, 2, properties.staleAfter(),
				properties.maxRows(), properties.maxSize(), properties.maxErrors());
		// A worker of its own: the chunk size is the worker's setting (the context's is 200, one chunk here).
		ImportWorker smallChunks = new ImportWorker(importRepository, leadRows, intake, shared, node, transactions);
		ImportPoller poller = new ImportPoller(smallChunks, shared);
		poller.start();
		try {
			JsonNode done = awaitDone(id, Duration.ofMinutes(3));
			assertThat(done.get("created").asInt()).isEqualTo(1 + pairs);
			assertThat(done.get("deduplicated").asInt()).isEqualTo(pairs);
			assertThat(done.get("failed").asInt()).isZero();
		}
		finally {
			poller.stop();
		}
		List<String> outcomes = jdbc.sql("SELECT outcome FROM lf_import_row WHERE import_id = ? ORDER BY row_no")
			.param(id)
			.query(String.class)
			.list();
		for (int k = 0; k < pairs; k++) {
			assertThat(outcomes.get(2 * k + 1)).as("row %d (first of pair %d)", 2 * k + 2, k).isEqualTo("CREATED");
			assertThat(outcomes.get(2 * k + 2)).as("row %d (second of pair %d)", 2 * k + 3, k)
				.isEqualTo(k == 5 ? "EXISTING" : "DEDUPLICATED");
			assertThat(leadCount(run + "-a" + k)).isEqualTo(1);
			assertThat(leadCount(run + "-b" + k)).isZero();
			assertThat(lead(run + "-a" + k).get("company").asText()).isEqualTo("First " + k + " KK");
			assertThat(processCount(leadId(run + "-a" + k))).isEqualTo(1);
			assertThat(engagements(leadId(run + "-a" + k))).isEqualTo(k == 5 ? 0 : 1);
		}
	}

	long doneRows(String importId) {
		return jdbc.sql("SELECT COUNT(*) FROM lf_import_row WHERE import_id = ? AND state = 'DONE'")
			.param(importId)
			.query(Long.class)
			.single();
	}

	// --- helpers ---------------------------------------------------------------------------------

	/** Works the import to its end on this thread, as the poller would. */
	void work(String id) {
		worker.process(id, () -> false);
		assertThat(jdbc.sql("SELECT status FROM lf_import WHERE id = ?").param(id).query(String.class).single())
			.isEqualTo("DONE");
	}

	JsonNode awaitDone(String id, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			JsonNode status = status(id);
			if (!"RUNNING".equals(status.get("status").asText())) {
				assertThat(status.get("status").asText()).isEqualTo("DONE");
				return status;
			}
			assertThat(System.nanoTime()).as("import %s DONE within %s", id, timeout).isLessThan(deadline);
			Thread.sleep(100);
		}
	}

	String row(String key, String route, String company, String contactName, String email, String phone, String timeZone,
			String source, String owner, String note) {
		return String.join(",", run + "-" + key, route, quote(company), quote(contactName), email, phone, timeZone,
				quote(source), owner, quote(note));
	}

	static String quote(String value) {
		return value.isEmpty() ? "" : "\"" + value.replace("\"", "\"\"") + "\"";
	}

	static String lines(String... lines) {
		return String.join("\r\n", lines) + "\r\n";
	}

	String mail(String key) {
		return run + "-" + key + "@example.com";
	}

	org.springframework.test.web.servlet.ResultActions upload(String csv, String contentType) throws Exception {
		return upload(csv.getBytes(StandardCharsets.UTF_8), contentType);
	}

	org.springframework.test.web.servlet.ResultActions upload(byte[] body, String contentType) throws Exception {
		return mvc.perform(post("/api/leads/import").with(httpBasic("marketing", "marketing"))
			.contentType(contentType)
			.content(body));
	}

	String uploadAccepted(String csv) throws Exception {
		return uploadAccepted(csv.getBytes(StandardCharsets.UTF_8), "text/csv");
	}

	String uploadAccepted(byte[] body, String contentType) throws Exception {
		MvcResult result = upload(body, contentType).andReturn();
		assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(202);
		return json.readTree(result.getResponse().getContentAsString()).get("id").asText();
	}

	JsonNode status(String id) throws Exception {
		MvcResult result = mvc.perform(get("/api/imports/" + id).with(httpBasic("marketing", "marketing"))).andReturn();
		assertThat(result.getResponse().getStatus()).isEqualTo(200);
		return json.readTree(result.getResponse().getContentAsString());
	}

	JsonNode problem(MvcResult result, int status) throws Exception {
		assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(status);
		assertThat(result.getResponse().getContentType()).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		JsonNode body = json.readTree(result.getResponse().getContentAsString());
		assertThat(body.get("status").asInt()).isEqualTo(status);
		return body;
	}

	JsonNode lead(String externalId) throws Exception {
		MvcResult result = mvc.perform(get("/api/leads/" + leadId(externalId)).with(httpBasic("marketing", "marketing")))
			.andReturn();
		assertThat(result.getResponse().getStatus()).isEqualTo(200);
		return json.readTree(result.getResponse().getContentAsString(StandardCharsets.UTF_8));
	}

	String createLeadThroughApi(String externalId, String email) throws Exception {
		String body = json.writeValueAsString(Map.of("externalId", externalId, "route", "NURTURE", "company", "Existing KK",
				"email", email, "owner", rep));
		MvcResult result = mvc.perform(post("/api/leads").with(httpBasic("marketing", "marketing"))
			.contentType(MediaType.APPLICATION_JSON)
			.content(body)).andReturn();
		assertThat(result.getResponse().getStatus()).isEqualTo(201);
		return json.readTree(result.getResponse().getContentAsString()).get("id").asText();
	}

	static List<String> errors(JsonNode status) {
		List<String> errors = new ArrayList<>();
		status.get("errors")
			.forEach(e -> errors.add(e.get("row").asInt() + "|" + e.get("field").asText() + "|" + e.get("message").asText()));
		return errors;
	}

	static List<String> fieldErrors(JsonNode problem) {
		List<String> errors = new ArrayList<>();
		problem.get("errors").forEach(e -> errors.add(e.get("field").asText() + "|" + e.get("message").asText()));
		return errors;
	}

	long leadCount(String externalId) {
		return jdbc.sql("SELECT COUNT(*) FROM lf_lead WHERE external_id = ?").param(externalId).query(Long.class).single();
	}

	String leadId(String externalId) {
		return jdbc.sql("SELECT id FROM lf_lead WHERE external_id = ?").param(externalId).query(String.class).single();
	}

	long processCount(String leadId) {
		return runtime.createProcessInstanceQuery()
			.processDefinitionKey(LeadProcess.KEY)
			.processInstanceBusinessKey(leadId)
			.count();
	}

	long engagements(String leadId) {
		return jdbc.sql("SELECT COUNT(*) FROM lf_lead_event WHERE lead_id = ? AND type = 'ENGAGEMENT'")
			.param(leadId)
			.query(Long.class)
			.single();
	}

	List<String> rowLeadIds(String importId) {
		return jdbc.sql("SELECT lead_id FROM lf_import_row WHERE import_id = ? ORDER BY row_no")
			.param(importId)
			.query(String.class)
			.list();
	}

	long importCount() {
		return jdbc.sql("SELECT COUNT(*) FROM lf_import").query(Long.class).single();
	}

	void claimBy(String importId, String node, Instant heartbeat) {
		jdbc.sql("UPDATE lf_import SET claimed_by = ?, heartbeat_at = ? WHERE id = ?")
			.params(node, java.sql.Timestamp.from(heartbeat), importId)
			.update();
	}

	static InputStream zeros(long size) {
		return new InputStream() {
			long left = size;

			@Override
			public int read() {
				return left-- > 0 ? 0 : -1;
			}

			@Override
			public int read(byte[] b, int off, int len) {
				if (left <= 0) {
					return -1;
				}
				int n = (int) Math.min(len, left);
				java.util.Arrays.fill(b, off, off + n, (byte) 0);
				left -= n;
				return n;
			}
		};
	}


}
