package com.leadflow.security;

import static com.leadflow.security.PropertySupport.isPlainText;
import static com.leadflow.security.PropertySupport.typed;
import static com.leadflow.security.PropertySupport.withForbidden;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadflow.scheduling.BusinessCalendar;
import com.leadflow.security.PropertySupport.Beans;
import com.leadflow.security.PropertySupport.Counts;
import com.leadflow.testsupport.LeadflowTest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Arbitrary completions of a rep's call at POST /api/next-actions/{id}/complete: any outcome (also
 * invalid ones and those of other action types), hearing maps up to beyond 20 entries with long and
 * odd names and values, notes around the limit, meeting and callback times in the past, inside and
 * outside the business calendar, far ahead and malformed. Whatever comes in: no server error; a 200
 * records the outcome, note and hearing items exactly as sent and leaves the lead with exactly one
 * open next action (none when the outcome ends it); a 400 changes nothing, and the action stays open.
 */
@LeadflowTest
class CompletionPayloadProperties {

	static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

	static final List<String> CALL_OUTCOMES = List.of("NO_ANSWER", "CONTACTED", "CALLBACK", "MEETING_SET", "NOT_INTERESTED",
			"WRONG_NUMBER", "DISQUALIFIED", "DO_NOT_CONTACT");

	static Beans beans;

	static BusinessCalendar calendar;

	static ObjectMapper escaping;

	static String rep;

	/** The open call the next try completes; a new lead only when a try completed it. */
	static String openAction;

	@BeforeContainer
	static void sharedSpringContext() {
		var context = PropertySupport.springContext(CompletionPayloadProperties.class);
		beans = Beans.of(context);
		calendar = context.getBean(BusinessCalendar.class);
		rep = PropertySupport.freshRep(beans.identity(), "doneprop");
		escaping = beans.json().copy().enable(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());
	}

	/** A time relative to now, made concrete when the try runs (shrinking replays it later). */
	record When(String kind, int days, int minutes) {

		Object realize() {
			Instant now = Instant.now();
			return switch (kind) {
				case "working" -> calendar.nextWorkingTime(now.plus(Duration.ofDays(days + 1)).plus(Duration.ofMinutes(minutes)), TOKYO).toString();
				case "anytime" -> now.plus(Duration.ofDays(days + 1)).plus(Duration.ofMinutes(minutes)).toString();
				case "past" -> now.minus(Duration.ofDays(days)).minus(Duration.ofMinutes(minutes + 1)).toString();
				case "sunday" -> nextSundayNoon(now).plus(Duration.ofDays(7L * (days % 20))).toString();
				case "beyond" -> now.plus(Duration.ofDays(6 * 366 + days)).toString();
				default -> throw new IllegalStateException(kind);
			};
		}

		@Override
		public String toString() {
			return kind + "(+" + days + "d " + minutes + "m)";
		}

	}

	static Instant nextSundayNoon(Instant now) {
		var day = now.atZone(TOKYO).toLocalDate().plusDays(1);
		while (day.getDayOfWeek() != java.time.DayOfWeek.SUNDAY) {
			day = day.plusDays(1);
		}
		return day.atTime(12, 0).atZone(TOKYO).toInstant();
	}

	static final Object ABSENT = new Object() {

		@Override
		public String toString() {
			return "<absent>";
		}

	};

	record Payload(Map<String, Object> fields) {

		@Override
		public String toString() {
			return fields.toString();
		}

	}

	@Provide
	Arbitrary<Payload> completions() {
		Arbitrary<Object> outcome = Arbitraries.frequencyOf(Tuple.of(16, Arbitraries.of(CALL_OUTCOMES).map(o -> (Object) o)),
				Tuple.of(2, Arbitraries.of("SENT", "OPPORTUNITY", "NO_OPPORTUNITY").map(o -> (Object) o)),
				Tuple.of(2, Arbitraries.of(ABSENT, null, "no_answer", "HACKED", "", 3, List.of("NO_ANSWER"))));
		Arbitrary<Object> hearingKey = Arbitraries.frequencyOf(Tuple.of(10, typed(1, 20).map(s -> (Object) s)),
				Tuple.of(1, typed(48, 53).map(s -> (Object) s)), Tuple.of(1, Arbitraries.just((Object) "")),
				Tuple.of(1, withForbidden(5).map(s -> (Object) s)));
		Arbitrary<Object> hearingValue = Arbitraries.frequencyOf(Tuple.of(10, typed(0, 40).map(s -> (Object) s)),
				Tuple.of(2, typed(497, 503).map(s -> (Object) s)), Tuple.of(1, Arbitraries.just((Object) null)),
				Tuple.of(1, withForbidden(5).map(s -> (Object) s)), Tuple.of(1, Arbitraries.of(7, List.of(), Map.of())));
		Arbitrary<Object> hearing = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(ABSENT, null)),
				Tuple.of(10, Arbitraries.maps(hearingKey.map(String::valueOf), hearingValue).ofMaxSize(6).map(m -> (Object) m)),
				Tuple.of(2, Arbitraries.maps(typed(1, 6), typed(0, 5).map(s -> (Object) s)).ofMinSize(18).ofMaxSize(25).map(m -> (Object) m)),
				Tuple.of(1, Arbitraries.of("budget", List.of("budget"), 42)));
		Arbitrary<Object> note = Arbitraries.frequencyOf(Tuple.of(6, typed(0, 60).map(s -> (Object) s)),
				Tuple.of(2, typed(1997, 2003).map(s -> (Object) s)), Tuple.of(3, Arbitraries.of(ABSENT, null)),
				Tuple.of(1, withForbidden(10).map(s -> (Object) s)), Tuple.of(1, Arbitraries.of(12, Map.of("a", "b"))));
		Arbitrary<Object> time = Arbitraries.frequencyOf(
				Tuple.of(8, Combinators.combine(Arbitraries.of("working", "anytime", "past", "sunday", "beyond"),
						Arbitraries.integers().between(0, 60), Arbitraries.integers().between(0, 24 * 60))
					.as((kind, d, m) -> (Object) new When(kind, d, m))),
				Tuple.of(2, Arbitraries.of(ABSENT, null, "2026-02-30T10:00:00Z", "99999-01-01", "+99999-01-01T01:00:00Z", -1,
						"tomorrow", "2026-12-02T10:00:00+25:00", "2026-12-02T10:00:00", true)));
		Arbitrary<Object> nextType = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of("CALL", "EMAIL", "CONTENT").map(t -> (Object) t)),
				Tuple.of(1, Arbitraries.of("MEETING", "HACKED", null, 1)));
		Arbitrary<Object> next = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(ABSENT)),
				Tuple.of(6, Combinators.combine(nextType, time, Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(ABSENT)),
						Tuple.of(2, typed(0, 30).map(s -> (Object) s)), Tuple.of(1, typed(1999, 2002).map(s -> (Object) s))))
					.as((type, dueAt, n) -> {
						Map<String, Object> step = new LinkedHashMap<>();
						step.put("type", type);
						step.put("dueAt", dueAt);
						step.put("note", n);
						return (Object) step;
					})),
				Tuple.of(1, Arbitraries.of(null, List.of(), "CALL")));
		Arbitrary<Map<String, Object>> extra = Arbitraries.frequencyOf(Tuple.of(14, Arbitraries.just(Map.of())),
				Tuple.of(1, Arbitraries.of(Map.of("status", "DONE"), Map.of("assignee", "rep2"), Map.of("leadId", "x"))));
		return Combinators.combine(outcome, hearing, note, time, next, extra).as((o, h, n, m, x, e) -> {
			Map<String, Object> fields = new LinkedHashMap<>();
			fields.put("outcome", o);
			fields.put("hearing", h);
			fields.put("note", n);
			fields.put("meetingAt", m);
			fields.put("next", x);
			fields.putAll(e);
			return new Payload(fields);
		});
	}

	// ------------------------------------------------------------------------------------ the property

	@Property(tries = 200)
	void aCompletionIsRecordedAsSentOrChangesNothing(@ForAll("completions") Payload payload) throws Exception {
		String actionId = openAction();
		String leadId = beans.jdbc().queryForObject("SELECT lead_id FROM lf_next_action WHERE id = ?", String.class, actionId);
		Map<String, Object> body = realize(payload.fields());
		List<String> broken = brokenRules(body);
		Counts before = Counts.of(beans.jdbc());
		long eventsOfLead = eventsOf(leadId);

		MockHttpServletResponse response = beans.mvc()
			.perform(post("/api/next-actions/{id}/complete", actionId).with(httpBasic(rep, rep))
				.contentType(MediaType.APPLICATION_JSON)
				.content(escaping.writeValueAsBytes(body)))
			.andReturn()
			.getResponse();

		String answer = response.getContentAsString(StandardCharsets.UTF_8);
		Statistics.label("status").collect(response.getStatus());
		assertThat(response.getStatus()).as("status for %s: %s", body, answer).isLessThan(500).isIn(200, 400);
		if (broken.isEmpty()) {
			assertThat(response.getStatus()).as("%s breaks no rule: %s", body, answer).isEqualTo(200);
		}
		else {
			assertThat(response.getStatus()).as("%s breaks %s: %s", body, broken, answer).isEqualTo(400);
		}
		if (response.getStatus() == 400) {
			assertThat(response.getContentType()).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			assertThat(beans.json().readTree(answer).path("detail").asText()).isNotBlank();
			assertThat(Counts.of(beans.jdbc())).as("a refused completion changes nothing: %s", body).isEqualTo(before);
			assertThat(eventsOf(leadId)).isEqualTo(eventsOfLead);
			assertThat(status(actionId)).as("the action stays open").isEqualTo("OPEN");
			return;
		}
		openAction = null;
		assertThat(status(actionId)).isEqualTo("DONE");
		JsonNode lead = beans.json().readTree(beans.mvc()
			.perform(get("/api/leads/{id}", leadId).with(httpBasic("manager", "manager")))
			.andReturn()
			.getResponse()
			.getContentAsByteArray());
		JsonNode done = null;
		for (JsonNode event : lead.path("history")) {
			if (event.path("type").asText().equals("ACTION_COMPLETED")) {
				done = event;
			}
		}
		assertThat(done).as("ACTION_COMPLETED in %s", lead).isNotNull();
		assertThat(done.path("outcome").asText()).isEqualTo(body.get("outcome"));
		assertThat(done.path("by").asText()).isEqualTo(rep);
		assertThat(done.path("note").isNull() ? null : done.path("note").asText()).as("note").isEqualTo(body.get("note"));
		Object hearing = body.get("hearing");
		if (hearing instanceof Map<?, ?> sent && !sent.isEmpty()) {
			assertThat(beans.json().convertValue(done.path("hearing"), Map.class)).as("hearing").isEqualTo(sent);
		}
		List<String> open = beans.jdbc().queryForList("SELECT id FROM lf_next_action WHERE lead_id = ? AND status = 'OPEN'",
				String.class, leadId);
		String status = lead.path("status").asText();
		if (status.equals("CLOSED") || status.equals("OPPORTUNITY")) {
			assertThat(open).as("open actions of a %s lead", status).isEmpty();
			assertThat(lead.path("nextAction").isNull()).isTrue();
		}
		else {
			assertThat(open).as("open actions of a %s lead", status).hasSize(1);
			assertThat(lead.path("nextAction").path("id").asText()).isEqualTo(open.get(0));
			assertThat(open.get(0)).isNotEqualTo(actionId);
		}
	}

	static String openAction() throws Exception {
		if (openAction == null) {
			String key = UUID.randomUUID().toString();
			Map<String, Object> lead = Map.of("externalId", "prop-" + key, "route", "NURTURE", "company", "株式会社性質 " + key.substring(0, 8),
					"email", "prop-" + key + "@example.co.jp", "phone", "03-1234-5678", "owner", rep);
			MockHttpServletResponse created = beans.mvc()
				.perform(post("/api/leads").with(httpBasic("marketing", "marketing"))
					.contentType(MediaType.APPLICATION_JSON)
					.content(beans.json().writeValueAsBytes(lead)))
				.andReturn()
				.getResponse();
			assertThat(created.getStatus()).as(created.getContentAsString()).isEqualTo(201);
			JsonNode next = beans.json().readTree(created.getContentAsByteArray()).path("nextAction");
			assertThat(next.path("type").asText()).isEqualTo("CALL");
			openAction = next.path("id").asText();
		}
		return openAction;
	}

	static Map<String, Object> realize(Map<String, Object> fields) {
		Map<String, Object> body = new LinkedHashMap<>();
		fields.forEach((name, value) -> {
			if (value != ABSENT) {
				body.put(name, realizeValue(value));
			}
		});
		return body;
	}

	@SuppressWarnings("unchecked")
	static Object realizeValue(Object value) {
		if (value instanceof When when) {
			return when.realize();
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> out = new LinkedHashMap<>();
			((Map<String, Object>) map).forEach((k, v) -> {
				if (v != ABSENT) {
					out.put(k, realizeValue(v));
				}
			});
			return out;
		}
		return value;
	}

	/** Rules of API.md and CompletionRequest the body breaks; a 400 is then the only answer. */
	static List<String> brokenRules(Map<String, Object> body) {
		List<String> broken = new ArrayList<>();
		List<String> known = List.of("outcome", "hearing", "note", "meetingAt", "next", "email");
		body.keySet().stream().filter(k -> !known.contains(k)).forEach(k -> broken.add(k + ": unknown property"));
		Object outcome = body.get("outcome");
		if (!(outcome instanceof String o && CALL_OUTCOMES.contains(o))) {
			broken.add("outcome: not an outcome of a call");
		}
		Object note = body.get("note");
		if (note != null && !(note instanceof String)) {
			broken.add("note: not text");
		}
		else if (note instanceof String n && (n.length() > 2000 || !isPlainText(n))) {
			broken.add("note: over 2000 or control characters");
		}
		Object hearing = body.get("hearing");
		if (hearing != null && !(hearing instanceof Map)) {
			broken.add("hearing: not an object");
		}
		else if (hearing instanceof Map<?, ?> items) {
			if (items.size() > 20) {
				broken.add("hearing: over 20 items");
			}
			items.forEach((k, v) -> {
				String name = (String) k;
				if (name.isEmpty() || name.length() > 50 || !isPlainText(name)) {
					broken.add("hearing name '" + name + "'");
				}
				if (v != null && !(v instanceof String s && s.length() <= 500 && isPlainText(s))) {
					broken.add("hearing value of '" + name + "'");
				}
			});
		}
		Instant now = Instant.now();
		Object meetingAt = body.get("meetingAt");
		boolean meetingAtParses = meetingAt == null || instant(meetingAt) != null;
		if (!meetingAtParses) {
			broken.add("meetingAt: not an ISO-8601 instant");
		}
		if ("MEETING_SET".equals(outcome)) {
			Instant at = meetingAt == null ? null : instant(meetingAt);
			if (at == null || !at.isAfter(now.plusSeconds(5)) || at.isAfter(now.plus(Duration.ofDays(5 * 365)))) {
				broken.add("meetingAt: MEETING_SET needs a meeting in the future (within 5 years)");
			}
		}
		Object next = body.get("next");
		// The lead goes on with a next action of the rep's route (not MEETING_SET, not a closing outcome).
		boolean continues = outcome instanceof String o
				&& List.of("NO_ANSWER", "CONTACTED", "CALLBACK", "NOT_INTERESTED", "WRONG_NUMBER").contains(o);
		if (next != null && !(next instanceof Map)) {
			broken.add("next: not an object");
		}
		else if (next instanceof Map<?, ?> step) {
			Object type = step.get("type");
			Object dueAt = step.get("dueAt");
			Object stepNote = step.get("note");
			if (!(type instanceof String t && List.of("CALL", "EMAIL", "CONTENT", "MEETING").contains(t))) {
				broken.add("next.type: not an action type");
			}
			if (dueAt == null || instant(dueAt) == null) {
				broken.add("next.dueAt: required ISO-8601 instant");
			}
			if (stepNote != null && !(stepNote instanceof String s && s.length() <= 2000 && isPlainText(s))) {
				broken.add("next.note");
			}
			if (continues && "MEETING".equals(type)) {
				broken.add("next.type: a meeting is set with MEETING_SET");
			}
			if ("CALLBACK".equals(outcome) && !"CALL".equals(type)) {
				broken.add("next.type: a callback is a call");
			}
			Instant due = dueAt == null ? null : instant(dueAt);
			if (continues && due != null && (!due.isAfter(now.plusSeconds(5)) || !calendar.isWorkingTime(due, TOKYO)
					|| due.isAfter(now.plus(Duration.ofDays(5 * 365))))) {
				broken.add("next.dueAt: in the future, inside the business calendar, within 5 years");
			}
		}
		if ("CALLBACK".equals(outcome) && next == null) {
			broken.add("next: required for a CALLBACK");
		}
		return broken;
	}

	/** The instant a JSON value means, or null when it is none (Jackson also takes epoch seconds). */
	static Instant instant(Object value) {
		if (value instanceof String s) {
			try {
				return Instant.parse(s);
			}
			catch (java.time.format.DateTimeParseException ex) {
				return null;
			}
		}
		if (value instanceof Integer seconds) {
			return Instant.ofEpochSecond(seconds);
		}
		return null;
	}

	static String status(String actionId) {
		return beans.jdbc().queryForObject("SELECT status FROM lf_next_action WHERE id = ?", String.class, actionId);
	}

	static long eventsOf(String leadId) {
		return beans.jdbc().queryForObject("SELECT COUNT(*) FROM lf_lead_event WHERE lead_id = ?", Long.class, leadId);
	}

}
