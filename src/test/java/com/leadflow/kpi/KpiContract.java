package com.leadflow.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** The KPI API against a known day of work, run on H2 and on MySQL. */
abstract class KpiContract {

	static final Instant WEDNESDAY_10_TOKYO = Instant.parse("2026-12-02T01:00:00Z");

	@Autowired
	MockMvc mvc;

	@Autowired
	ObjectMapper json;

	@Autowired
	IdentityService identity;

	@Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	String rep;

	@BeforeEach
	void freshRepAndFixedClock() {
		ClockUtil.setCurrentTime(Date.from(WEDNESDAY_10_TOKYO));
		rep = "kpi" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		User user = identity.newUser(rep);
		user.setPassword(rep);
		identity.saveUser(user);
		identity.createMembership(rep, "reps");
	}

	@AfterEach
	void resetClock() {
		ClockUtil.reset();
	}

	@Test
	void countsAKnownDayOfWorkExactly() throws Exception {
		List<String> actions = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			actions.add(createLead(i).path("nextAction").path("id").asText());
		}
		for (int i = 0; i < 15; i++) {
			complete(rep, actions.get(i), "{\"outcome\":\"NO_ANSWER\"}").andExpect(status().isOk());
		}
		complete(rep, actions.get(15), "{\"outcome\":\"WRONG_NUMBER\"}").andExpect(status().isOk());
		complete(rep, actions.get(16), "{\"outcome\":\"CONTACTED\",\"hearing\":{\"budget\":\"500万円\",\"timeline\":\"来期\",\"need\":\"SFA\"}}")
			.andExpect(status().isOk());
		complete(rep, actions.get(17), "{\"outcome\":\"CONTACTED\",\"hearing\":{\"budget\":\"未定\",\"authority\":\"部長\",\"need\":\"\"}}")
			.andExpect(status().isOk());
		complete(rep, actions.get(18), "{\"outcome\":\"CALLBACK\",\"hearing\":{\"timeline\":\"来月\"},"
				+ "\"next\":{\"type\":\"CALL\",\"dueAt\":\"2026-12-03T02:00:00Z\"}}")
			.andExpect(status().isOk());
		String meeting = body(complete(rep, actions.get(19), "{\"outcome\":\"MEETING_SET\",\"hearing\":"
				+ "{\"budget\":\"1000万円\",\"need\":\"MA\"},\"meetingAt\":\"2026-12-04T02:00:00Z\"}")
			.andExpect(status().isOk())).path("lead").path("nextAction").path("id").asText();
		complete("sales1", meeting, "{\"outcome\":\"OPPORTUNITY\"}").andExpect(status().isOk());

		JsonNode kpis = body(mvc.perform(get("/api/kpis").param("from", "2026-12-01").param("to", "2026-12-31")
			.param("rep", rep).with(httpBasic("manager", "manager"))).andExpect(status().isOk()));
		assertThat(kpis.path("rep").asText()).isEqualTo(rep);
		JsonNode counts = kpis.path("counts");
		assertThat(counts.path("calls").asLong()).isEqualTo(20);
		assertThat(counts.path("contacts").asLong()).isEqualTo(4);
		assertThat(counts.path("meetings").asLong()).isEqualTo(1);
		assertThat(counts.path("hearingItems").asLong()).isEqualTo(8);
		assertThat(counts.path("handoffs").asLong()).isEqualTo(1);
		assertThat(counts.path("meetingsHeld").asLong()).isEqualTo(1);
		assertThat(counts.path("opportunities").asLong()).isEqualTo(1);
		JsonNode rates = kpis.path("rates");
		assertThat(rates.path("contactRate").asDouble()).isEqualTo(0.2);
		assertThat(rates.path("meetingRate").asDouble()).isEqualTo(0.25);
		assertThat(rates.path("hearingPerContact").asDouble()).isEqualTo(2.0);
		assertThat(rates.path("opportunityRate").asDouble()).isEqualTo(1.0);
		assertThat(kpis.path("targets").path("callsPerDay").asInt()).isEqualTo(50);
		assertThat(kpis.path("targets").path("meetingRate").get(0).asDouble()).isEqualTo(0.10);
		// Dec 1 and 2 are working days elapsed: 100 calls expected, 20 made.
		assertThat(kpis.path("progress").path("workingDaysElapsed").asInt()).isEqualTo(2);
		assertThat(kpis.path("progress").path("calls").path("target").asDouble()).isEqualTo(100.0);
		assertThat(kpis.path("progress").path("calls").path("onTrack").asBoolean()).isFalse();
		assertThat(kpis.path("progress").path("contactRate").path("onTrack").asBoolean()).isTrue();

		JsonNode own = body(mvc.perform(get("/api/kpis").param("from", "2026-12-02").param("to", "2026-12-02")
			.with(httpBasic(rep, rep))).andExpect(status().isOk()));
		assertThat(own.path("counts").path("calls").asLong()).isEqualTo(20);
		assertThat(own.path("rep").asText()).isEqualTo(rep);

		// The day before holds nothing of this rep: every rate is null, never a division by zero.
		JsonNode empty = body(mvc.perform(get("/api/kpis").param("from", "2026-11-30").param("to", "2026-11-30")
			.param("rep", rep).with(httpBasic("manager", "manager"))).andExpect(status().isOk()));
		assertThat(empty.path("counts").path("calls").asLong()).isZero();
		assertThat(empty.path("rates").path("contactRate").isNull()).isTrue();
		assertThat(empty.path("rates").path("opportunityRate").isNull()).isTrue();

		String prometheus = mvc.perform(get("/actuator/prometheus").with(httpBasic("manager", "manager")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(prometheus).containsPattern("leadflow_kpi_total\\{kpi=\"calls\",rep=\"" + rep + "\",route=\"NURTURE\"\\} 20\\.0");
	}

	@Test
	void touchCoverageCountsActiveLeadsTouchedWithinTheIntervalExactly() throws Exception {
		String targets = "{\"quarter\":\"2026-Q4\",\"rep\":\"" + rep + "\",\"targets\":{\"callsPerDay\":50,"
				+ "\"contactRate\":0.2,\"meetingRate\":[0.1,0.2],\"hearingPerContact\":[2,5],\"touchIntervalDays\":30,"
				+ "\"opportunityRate\":[0.33,0.5]}}";
		mvc.perform(put("/api/kpi-targets").contentType(MediaType.APPLICATION_JSON).content(targets)
			.with(httpBasic("manager", "manager"))).andExpect(status().isOk());
		List<String> actions = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			actions.add(createLead(i).path("nextAction").path("id").asText());
		}
		assertThat(touchCoverage(rep)).as("nobody touched yet").isEqualTo(0.0);
		Instant first = WEDNESDAY_10_TOKYO.plusSeconds(20 * 60); // 10:20
		Instant second = WEDNESDAY_10_TOKYO.plusSeconds(100 * 60); // 11:40
		ClockUtil.setCurrentTime(Date.from(first));
		complete(rep, actions.get(0), "{\"outcome\":\"CONTACTED\",\"hearing\":{\"need\":\"SFA\"}}").andExpect(status().isOk());
		complete(rep, actions.get(1), "{\"outcome\":\"NO_ANSWER\"}").andExpect(status().isOk()); // no touch
		ClockUtil.setCurrentTime(Date.from(second));
		complete(rep, actions.get(2), "{\"outcome\":\"CONTACTED\",\"hearing\":{\"need\":\"MA\"}}").andExpect(status().isOk());
		complete(rep, actions.get(3), "{\"outcome\":\"DISQUALIFIED\"}").andExpect(status().isOk()); // closed: not counted
		// Active: leads 0, 1, 2, 4; touched: 0 and 2.
		assertThat(touchCoverage(rep)).isEqualTo(0.5);

		Instant[] cutOffs = { first.minusSeconds(600), first, first.plusSeconds(1), second.minusSeconds(1), second,
				second.plusSeconds(1), second.plusSeconds(3600) };
		double[] expected = { 0.5, 0.5, 0.25, 0.25, 0.25, 0.0, 0.0 };
		for (int i = 0; i < cutOffs.length; i++) {
			Instant now = cutOffs[i].plus(java.time.Duration.ofDays(30));
			ClockUtil.setCurrentTime(Date.from(now));
			assertThat(touchCoverage(rep)).as("cut-off %s", cutOffs[i]).isEqualTo(expected[i]);
			JsonNode team = kpis(null);
			Instant teamCutOff = now.minus(java.time.Duration.ofDays(team.path("targets").path("touchIntervalDays").asInt()));
			long active = jdbc.sql("SELECT COUNT(*) FROM lf_lead WHERE status IN ('ACTIVE', 'HANDED_OFF')").query(Long.class).single();
			long touched = jdbc.sql("SELECT COUNT(*) FROM lf_lead WHERE status IN ('ACTIVE', 'HANDED_OFF') AND last_touch_at >= ?")
				.param(java.sql.Timestamp.from(teamCutOff))
				.query(Long.class)
				.single();
			assertThat(team.path("rates").path("touchCoverage90d").asDouble()).as("team at %s", now)
				.isEqualTo(Math.round((double) touched / active * 10_000d) / 10_000d);
		}

		// Reassigned leads take their touches with them.
		ClockUtil.setCurrentTime(Date.from(second.plusSeconds(60)));
		String other = "kpi" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		User user = identity.newUser(other);
		identity.saveUser(user);
		identity.createMembership(other, "reps");
		mvc.perform(post("/api/audit/reassign").contentType(MediaType.APPLICATION_JSON)
			.content("{\"from\":\"" + rep + "\",\"to\":\"" + other + "\"}")
			.with(httpBasic("manager", "manager"))).andExpect(status().is2xxSuccessful());
		assertThat(touchCoverage(other)).isEqualTo(0.5);
		assertThat(body(mvc.perform(get("/api/kpis").param("from", "2026-12-01").param("to", "2026-12-31")
			.param("rep", rep).with(httpBasic("manager", "manager"))).andExpect(status().isOk()))
			.path("rates").path("touchCoverage90d").isNull()).as("no active leads left").isTrue();
	}

	private double touchCoverage(String owner) throws Exception {
		JsonNode rates = kpis(owner).path("rates");
		assertThat(rates.path("touchCoverage90d").isNumber()).as("touch coverage of %s: %s", owner, rates).isTrue();
		return rates.path("touchCoverage90d").asDouble();
	}

	private JsonNode kpis(String owner) throws Exception {
		var request = get("/api/kpis").param("from", "2026-12-01").param("to", "2026-12-31").with(httpBasic("manager", "manager"));
		if (owner != null) {
			request = request.param("rep", owner);
		}
		return body(mvc.perform(request).andExpect(status().isOk()));
	}

	@Test
	void aRepSeesOnlyItsOwnKpisAndMarketingNone() throws Exception {
		mvc.perform(get("/api/kpis").param("rep", "rep2").with(httpBasic("rep1", "rep1"))).andExpect(status().isForbidden());
		mvc.perform(get("/api/kpis").with(httpBasic("marketing", "marketing"))).andExpect(status().isForbidden());
		mvc.perform(get("/api/kpis")).andExpect(status().isUnauthorized());
	}

	@Test
	void rejectsInvalidDatesAndReversedRanges() throws Exception {
		mvc.perform(get("/api/kpis").param("from", "2026-12-31").param("to", "2026-12-01").with(httpBasic("manager", "manager")))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("from"));
		mvc.perform(get("/api/kpis").param("from", "2026-13-01").param("to", "2026-12-01").with(httpBasic("manager", "manager")))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("from"));
		mvc.perform(get("/api/kpis").param("granularity", "month").with(httpBasic("manager", "manager")))
			.andExpect(status().isBadRequest());
	}

	@Test
	void splitsQuarterTargetsOverWorkingDaysWithHolidays() throws Exception {
		ClockUtil.setCurrentTime(Date.from(Instant.parse("2027-01-05T01:00:00Z")));
		JsonNode quarter = body(mvc.perform(get("/api/kpis").param("from", "2026-10-01").param("to", "2026-12-31")
			.param("rep", rep).param("granularity", "week").with(httpBasic("manager", "manager"))).andExpect(status().isOk()));
		// Q4 2026 in Japan: 21 + 19 + 23 working days (Oct 12, Nov 3 and Nov 23 are holidays).
		assertThat(quarter.path("progress").path("workingDays").asInt()).isEqualTo(63);
		assertThat(quarter.path("progress").path("calls").path("target").asDouble()).isEqualTo(63 * 50.0);
		JsonNode weekOfCultureDay = null;
		for (JsonNode point : quarter.path("series")) {
			if (point.path("period").asText().equals("2026-11-02")) {
				weekOfCultureDay = point;
			}
		}
		assertThat(weekOfCultureDay).as("week starting Monday 2026-11-02").isNotNull();
		assertThat(weekOfCultureDay.path("callsTarget").asDouble()).isEqualTo(4 * 50.0);

		String targets = "{\"quarter\":\"2026-Q4\",\"rep\":\"" + rep + "\",\"targets\":{\"callsPerDay\":40,\"contactRate\":0.2,"
				+ "\"meetingRate\":[0.1,0.2],\"hearingPerContact\":[2,5],\"touchIntervalDays\":60,\"opportunityRate\":[0.33,0.5]}}";
		mvc.perform(put("/api/kpi-targets").contentType(MediaType.APPLICATION_JSON).content(targets)
			.with(httpBasic("rep1", "rep1"))).andExpect(status().isForbidden());
		JsonNode teamBefore = body(mvc.perform(get("/api/kpis").param("from", "2026-10-01").param("to", "2026-12-31")
			.with(httpBasic("manager", "manager"))).andExpect(status().isOk()));
		mvc.perform(put("/api/kpi-targets").contentType(MediaType.APPLICATION_JSON).content(targets)
			.with(httpBasic("manager", "manager"))).andExpect(status().isOk());
		// The team's calls target is the sum of its reps' own targets (else the team's): this rep's 40 replaces 50.
		JsonNode teamAfter = body(mvc.perform(get("/api/kpis").param("from", "2026-10-01").param("to", "2026-12-31")
			.with(httpBasic("manager", "manager"))).andExpect(status().isOk()));
		assertThat(teamAfter.path("progress").path("reps").asInt()).isEqualTo(teamBefore.path("progress").path("reps").asInt());
		assertThat(teamAfter.path("progress").path("calls").path("target").asDouble())
			.isEqualTo(teamBefore.path("progress").path("calls").path("target").asDouble()
					- 63 * (teamBefore.path("targets").path("callsPerDay").asInt() - 40));
		JsonNode after = body(mvc.perform(get("/api/kpis").param("from", "2026-10-01").param("to", "2026-12-31")
			.param("rep", rep).with(httpBasic("manager", "manager"))).andExpect(status().isOk()));
		assertThat(after.path("targets").path("callsPerDay").asInt()).isEqualTo(40);
		assertThat(after.path("progress").path("calls").path("target").asDouble()).isEqualTo(63 * 40.0);

		mvc.perform(put("/api/kpi-targets").contentType(MediaType.APPLICATION_JSON)
			.content(targets.replace("\"meetingRate\":[0.1,0.2]", "\"meetingRate\":[0.3,0.2]"))
			.with(httpBasic("manager", "manager"))).andExpect(status().isBadRequest());
		mvc.perform(put("/api/kpi-targets").contentType(MediaType.APPLICATION_JSON)
			.content(targets.replace("2026-Q4", "2026-Q5")).with(httpBasic("manager", "manager")))
			.andExpect(status().isBadRequest());
	}

	@Test
	void managersRecordReviewNotesThatAreListedForThePeriod() throws Exception {
		String review = "{\"from\":\"2026-12-01\",\"to\":\"2026-12-31\",\"rep\":\"" + rep
				+ "\",\"note\":\"コール数が目標の40%\",\"recoveryPlan\":\"午前中にコール枠を確保\"}";
		mvc.perform(post("/api/kpi-reviews").contentType(MediaType.APPLICATION_JSON).content(review)
			.with(httpBasic(rep, rep))).andExpect(status().isForbidden());
		mvc.perform(post("/api/kpi-reviews").contentType(MediaType.APPLICATION_JSON).content(review)
			.with(httpBasic("manager", "manager"))).andExpect(status().isCreated());
		JsonNode list = body(mvc.perform(get("/api/kpi-reviews").param("from", "2026-12-10").param("to", "2026-12-10")
			.param("rep", rep).with(httpBasic("manager", "manager"))).andExpect(status().isOk()));
		assertThat(list).anySatisfy(r -> {
			assertThat(r.path("note").asText()).isEqualTo("コール数が目標の40%");
			assertThat(r.path("recoveryPlan").asText()).isEqualTo("午前中にコール枠を確保");
			assertThat(r.path("createdBy").asText()).isEqualTo("manager");
		});
	}

	private JsonNode createLead(int i) throws Exception {
		String id = UUID.randomUUID().toString();
		String lead = "{\"externalId\":\"kpi-" + id + "\",\"route\":\"NURTURE\",\"company\":\"株式会社KPI " + i
				+ "\",\"email\":\"kpi-" + id + "@example.co.jp\",\"phone\":\"03-1234-5678\",\"owner\":\"" + rep + "\"}";
		return body(mvc.perform(post("/api/leads").contentType(MediaType.APPLICATION_JSON).content(lead)
			.with(httpBasic("marketing", "marketing"))).andExpect(status().isCreated()));
	}

	private ResultActions complete(String user, String actionId, String body) throws Exception {
		return mvc.perform(post("/api/next-actions/{id}/complete", actionId).contentType(MediaType.APPLICATION_JSON)
			.content(body)
			.with(httpBasic(user, user)));
	}

	private JsonNode body(ResultActions result) throws Exception {
		return json.readTree(result.andReturn().getResponse().getContentAsString(java.nio.charset.StandardCharsets.UTF_8));
	}

}
