package com.leadflow.security;

import static com.leadflow.security.PropertySupport.blankToNull;
import static com.leadflow.security.PropertySupport.isBlank;
import static com.leadflow.security.PropertySupport.isPlainText;
import static com.leadflow.security.PropertySupport.text;
import static com.leadflow.security.PropertySupport.typed;
import static com.leadflow.security.PropertySupport.typedLine;
import static com.leadflow.security.PropertySupport.withForbidden;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Arbitrary lead payloads at POST /api/leads: any text people type (Japanese, emoji, combining
 * marks, odd spaces), control characters, lengths around every limit, valid and invalid routes,
 * emails, phones, time zones, owners and extra properties. Whatever comes in: no server error; a
 * 201 stores exactly what was sent (after the intake's documented strip) with exactly one open next
 * action; a 400 stores nothing; and a payload that breaks a documented rule is always a 400.
 */
@LeadflowTest
class LeadPayloadProperties {

	static Beans beans;

	static String rep;

	/** Writes lone surrogates as JSON escapes (raw, they cannot be encoded in UTF-8 at all). */
	static ObjectMapper escaping;

	@BeforeContainer
	static void sharedSpringContext() {
		beans = Beans.of(PropertySupport.springContext(LeadPayloadProperties.class));
		rep = PropertySupport.freshRep(beans.identity(), "leadprop");
		escaping = beans.json().copy().enable(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());
	}

	/** A field of the payload: absent, or a JSON value; {@code FRESH} values are made unique when sent. */
	record Payload(Map<String, Object> fields) {

		@Override
		public String toString() {
			return fields.toString();
		}

	}

	/** Made unique at send time, so a shrunk example sent again is still a new lead. */
	record Fresh(String prefix, boolean email) {

		String realize() {
			String unique = UUID.randomUUID().toString().replace("-", "");
			return email ? prefix + "-" + unique.substring(0, 12) + "@example.com" : prefix + unique;
		}

		@Override
		public String toString() {
			return email ? prefix + "-<unique>@example.com" : prefix + "<unique>";
		}

	}

	static final Object ABSENT = new Object() {

		@Override
		public String toString() {
			return "<absent>";
		}

	};

	static final List<String> ZONES = new ArrayList<>(new java.util.TreeSet<>(ZoneId.getAvailableZoneIds()));

	/**
	 * A valid payload (values of every shape and length the rules allow), and in about half the tries
	 * one or two fields replaced by a value that breaks a rule.
	 */
	@Provide
	Arbitrary<Payload> payloads() {
		Arbitrary<Object> externalId = typedLine(0, 12).map(prefix -> new Fresh("p" + prefix, false));
		Arbitrary<Object> route = Arbitraries.of("NURTURE", "UPSELL", "RECYCLE", "OUTBOUND");
		Arbitrary<Object> company = Arbitraries.frequencyOf(Tuple.of(6, typed(0, 40).map(s -> "x" + s)),
				Tuple.of(1, typed(0, 20).map(s -> " \tx" + s + "\u3000\n")), Tuple.of(1, typedLine(198, 199).map(s -> "x" + s)));
		Arbitrary<Object> contactName = optional(typed(0, 40), typedLine(100, 100));
		Arbitrary<Object> email = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.strings()
			.withCharRange('a', 'z')
			.numeric()
			.ofMinLength(1)
			.ofMaxLength(12)
			.map(local -> (Object) new Fresh(local, true))), Tuple.of(1, Arbitraries.of(ABSENT, null)));
		Arbitrary<Object> phone = Arbitraries.frequencyOf(
				Tuple.of(4, Arbitraries.strings().withChars("0123456789+()-. ").ofMinLength(1).ofMaxLength(40).map(s -> (Object) s)),
				Tuple.of(1, Arbitraries.of(ABSENT, null, "")));
		Arbitrary<Object> timeZone = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(ZONES).map(z -> (Object) z)),
				Tuple.of(1, Arbitraries.of(ABSENT, null, "")));
		Arbitrary<Object> source = optional(typed(0, 20), typedLine(50, 50));
		Arbitrary<Object> owner = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just((Object) "REP")), Tuple.of(1, Arbitraries.of(ABSENT, null)));
		Arbitrary<Object> note = optional(typed(0, 60), typedLine(1995, 2000));
		Arbitrary<Object> lossReason = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(ABSENT, null)),
				Tuple.of(1, Arbitraries.of("PENDING", "COMPETITOR", "MISMATCH", "OTHER").map(r -> (Object) r)));
		Arbitrary<Map<String, Object>> valid = Combinators.combine(List.of(externalId, route, company, contactName, email, phone,
				timeZone, source, owner, note, lossReason)).as(values -> {
					Map<String, Object> fields = new LinkedHashMap<>();
					for (int i = 0; i < FIELDS.size(); i++) {
						fields.put(FIELDS.get(i), values.get(i));
					}
					if (isBlankOrAbsent(fields.get("email")) && isBlankOrAbsent(fields.get("phone"))) {
						fields.put("phone", "03-1234-5678");
					}
					return fields;
				});
		Arbitrary<List<Tuple.Tuple2<String, Object>>> mutations = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(List.of())),
				Tuple.of(1, mutation().list().ofMinSize(1).ofMaxSize(2)));
		return Combinators.combine(valid, mutations).as((fields, changes) -> {
			Map<String, Object> mutated = new LinkedHashMap<>(fields);
			changes.forEach(change -> {
				if (change.get1().equals("email+phone")) {
					mutated.put("email", ABSENT);
					mutated.put("phone", ABSENT);
				}
				else {
					mutated.put(change.get1(), change.get2());
				}
			});
			return new Payload(mutated);
		});
	}

	static final List<String> FIELDS = List.of("externalId", "route", "company", "contactName", "email", "phone", "timeZone",
			"source", "owner", "note", "lossReason");

	/** A value that breaks a rule, and the field it goes in. */
	static Arbitrary<Tuple.Tuple2<String, Object>> mutation() {
		return Arbitraries.oneOf(
				change("externalId", Arbitraries.oneOf(Arbitraries.of(ABSENT, null, "", " \t"), typedLine(101, 110).map(s -> s),
						withForbidden(10).map(s -> s + UUID.randomUUID()))),
				change("route", Arbitraries.of(ABSENT, null, "nurture", "HACKED", "", 1, true)),
				change("company", Arbitraries.oneOf(Arbitraries.of(ABSENT, null, "", "   ", "\u3000", "\u2003\u3000 ", List.of("a"), 42),
						typedLine(201, 210).map(s -> s), withForbidden(20).map(s -> s))),
				change("contactName", Arbitraries.oneOf(typedLine(101, 110).map(s -> s), withForbidden(10).map(s -> s),
						Arbitraries.of(List.of(), 3.5))),
				change("email", Arbitraries.oneOf(Arbitraries.of("", "no-at-sign", "a@b", "a b@c.de", "' OR 1=1 --", "<script>@x.y",
						"a@@b.cd", "@b.cd"), Arbitraries.strings().withCharRange('a', 'z').ofLength(250).map(s -> s + "@x.io"),
						withForbidden(5).map(s -> "a" + s + "@example.com"))),
				change("phone", Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789").ofLength(41).map(s -> s),
						Arbitraries.of("call me", "+81-3-1234-5678; DROP TABLE lf_lead", "\uff10\uff13\uff11\uff12"))),
				change("timeZone", Arbitraries.of("+25:00", "Mars/Olympus", "../../etc/passwd", "Asia/Tokio", " Asia/Tokyo", "UTC+99")),
				change("source", Arbitraries.oneOf(typedLine(51, 60).map(s -> s), withForbidden(10).map(s -> s))),
				change("owner", Arbitraries.of("nobody", "' OR 1=1 --", "rep1 ", "REP1")),
				change("note", Arbitraries.oneOf(typedLine(2001, 2010).map(s -> s), withForbidden(10).map(s -> s),
						Arbitraries.of(Map.of("a", 1)))),
				change("lossReason", Arbitraries.of("PARKED", "HACKED", 2)),
				change("email+phone", Arbitraries.just(ABSENT)),
				Arbitraries.of(Tuple.of("isAdmin", true), Tuple.of("id", "x"), Tuple.of("status", "CLOSED"),
						Tuple.of("nextAction", Map.of())));
	}

	static Arbitrary<Tuple.Tuple2<String, Object>> change(String field, Arbitrary<?> values) {
		return values.map(value -> Tuple.of(field, value));
	}

	/** Optional text: absent, null, blank, short, or right at its limit. */
	static Arbitrary<Object> optional(Arbitrary<String> text, Arbitrary<String> atLimit) {
		return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(ABSENT, null, "", " ")), Tuple.of(6, text.map(s -> (Object) s)),
				Tuple.of(1, atLimit.map(s -> (Object) s)));
	}

	static boolean isBlankOrAbsent(Object value) {
		return value == ABSENT || isBlank(value);
	}

	// ------------------------------------------------------------------------------------ the property

	@Property(tries = 200)
	void aLeadIsStoredAsSentOrNotAtAll(@ForAll("payloads") Payload payload) throws Exception {
		Map<String, Object> body = new LinkedHashMap<>();
		payload.fields().forEach((name, value) -> {
			if (value != ABSENT) {
				body.put(name, value instanceof Fresh fresh ? fresh.realize() : "REP".equals(value) ? rep : value);
			}
		});
		List<String> broken = brokenRules(body);
		String externalId = text(body, "externalId");
		Counts before = Counts.of(beans.jdbc());

		MockHttpServletResponse response = beans.mvc()
			.perform(post("/api/leads").with(httpBasic("marketing", "marketing"))
				.contentType(MediaType.APPLICATION_JSON)
				.content(escaping.writeValueAsBytes(body)))
			.andReturn()
			.getResponse();

		String answer = response.getContentAsString(StandardCharsets.UTF_8);
		Statistics.label("status").collect(response.getStatus());
		assertThat(response.getStatus()).as("status for %s: %s", body, answer).isLessThan(500).isIn(201, 400);
		if (broken.isEmpty()) {
			assertThat(response.getStatus()).as("%s breaks no rule: %s", body, answer).isEqualTo(201);
		}
		else {
			assertThat(response.getStatus()).as("%s breaks %s: %s", body, broken, answer).isEqualTo(400);
		}
		if (response.getStatus() == 400) {
			assertThat(response.getContentType()).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			assertThat(beans.json().readTree(answer).path("detail").asText()).isNotBlank();
			assertThat(Counts.of(beans.jdbc())).as("a refused lead stores nothing: %s", body).isEqualTo(before);
			if (externalId != null && isPlainText(externalId)) {
				assertThat(beans.jdbc().queryForObject("SELECT COUNT(*) FROM lf_lead WHERE external_id = ?", Long.class, externalId))
					.isZero();
			}
			return;
		}
		JsonNode created = beans.json().readTree(answer);
		assertRoundTrip(body, created, "the answer");
		String id = created.path("id").asText();
		JsonNode read = beans.json().readTree(beans.mvc()
			.perform(get("/api/leads/{id}", id).with(httpBasic("manager", "manager")))
			.andReturn()
			.getResponse()
			.getContentAsByteArray());
		assertRoundTrip(body, read, "the stored lead");
		JsonNode createdEvent = null;
		for (JsonNode event : read.path("history")) {
			if (event.path("type").asText().equals("CREATED")) {
				createdEvent = event;
			}
		}
		assertThat(createdEvent).as("CREATED in the history of %s", id).isNotNull();
		assertThat(createdEvent.path("note").isNull() ? null : createdEvent.path("note").asText()).as("note")
			.isEqualTo(blankToNull(body.get("note")));
		List<String> open = beans.jdbc().queryForList("SELECT id FROM lf_next_action WHERE lead_id = ? AND status = 'OPEN'",
				String.class, id);
		assertThat(open).as("open next actions of %s", id).hasSize(1);
		assertThat(read.path("nextAction").path("id").asText()).isEqualTo(open.get(0));
		Counts after = Counts.of(beans.jdbc());
		assertThat(after.leads()).isEqualTo(before.leads() + 1);
		assertThat(after.openActions()).isEqualTo(before.openActions() + 1);
	}

	static void assertRoundTrip(Map<String, Object> sent, JsonNode lead, String where) {
		assertThat(lead.path("externalId").asText()).as("externalId in %s", where).isEqualTo(sent.get("externalId"));
		assertThat(lead.path("route").asText()).as("route in %s", where).isEqualTo(sent.get("route"));
		assertThat(lead.path("status").asText()).as("status in %s", where).isEqualTo("ACTIVE");
		assertThat(lead.path("company").asText()).as("company in %s", where).isEqualTo(((String) sent.get("company")).strip());
		for (String field : List.of("contactName", "email", "phone", "source")) {
			assertThat(lead.path(field).isNull() ? null : lead.path(field).asText()).as("%s in %s", field, where)
				.isEqualTo(blankToNull(sent.get(field)));
		}
		String zone = isBlank(sent.get("timeZone")) ? "Asia/Tokyo" : (String) sent.get("timeZone");
		assertThat(lead.path("timeZone").asText()).as("timeZone in %s", where).isEqualTo(zone);
		if (sent.get("owner") != null) {
			assertThat(lead.path("owner").asText()).as("owner in %s", where).isEqualTo(sent.get("owner"));
		}
		assertThat(lead.path("nextAction").path("id").asText()).as("next action in %s", where).isNotBlank();
	}

	/** The documented rules (API.md, LeadIntakeRequest) the payload breaks; a 400 is then the only answer. */
	static List<String> brokenRules(Map<String, Object> body) {
		List<String> broken = new ArrayList<>();
		Set<String> known = Set.of("externalId", "route", "company", "contactName", "email", "phone", "timeZone", "source",
				"owner", "note", "lossReason");
		body.keySet().stream().filter(k -> !known.contains(k)).forEach(k -> broken.add(k + ": unknown property"));
		body.forEach((name, value) -> {
			if (known.contains(name) && value != null && !(value instanceof String)) {
				broken.add(name + ": not text");
			}
			if (value instanceof String s && !isPlainText(s)) {
				broken.add(name + ": control character");
			}
		});
		Object externalId = body.get("externalId");
		if (isBlank(externalId)) {
			broken.add("externalId: required");
		}
		else if (externalId instanceof String s && s.length() > 100) {
			broken.add("externalId: over 100");
		}
		if (externalId instanceof String s && s.chars().anyMatch(Character::isISOControl)) {
			broken.add("externalId: no control characters at all (not even tab or line breaks)");
		}
		if (!(body.get("route") instanceof String route && List.of("NURTURE", "UPSELL", "RECYCLE", "OUTBOUND").contains(route))) {
			broken.add("route: not a route");
		}
		Object company = body.get("company");
		if (!(company instanceof String c) || c.strip().isEmpty()) {
			broken.add("company: required");
		}
		else if (c.length() > 200) {
			broken.add("company: over 200");
		}
		overLength(body, "contactName", 100, broken);
		overLength(body, "email", 254, broken);
		overLength(body, "phone", 40, broken);
		overLength(body, "timeZone", 64, broken);
		overLength(body, "source", 50, broken);
		overLength(body, "owner", 64, broken);
		overLength(body, "note", 2000, broken);
		if (isBlank(body.get("email")) && isBlank(body.get("phone"))) {
			broken.add("email or phone: required");
		}
		// The generator's valid addresses look like this; every other one it makes is malformed.
		if (body.get("email") instanceof String email && !email.matches("[a-z0-9]+(-[a-z0-9]+)*@example\\.com")) {
			broken.add("email: malformed");
		}
		if (body.get("phone") instanceof String phone && !phone.matches("[0-9+()\\-. ]*")) {
			broken.add("phone: not a phone number");
		}
		if (body.get("timeZone") instanceof String zone && !zone.isBlank() && !ZONES.contains(zone)) {
			broken.add("timeZone: unknown");
		}
		Object owner = body.get("owner");
		if (owner != null && !owner.equals(rep)) {
			broken.add("owner: not an active rep");
		}
		Object lossReason = body.get("lossReason");
		if (lossReason != null && !(lossReason instanceof String reason
				&& List.of("PENDING", "COMPETITOR", "MISMATCH", "OTHER").contains(reason))) {
			broken.add("lossReason: not a loss reason marketing may give");
		}
		return broken;
	}

	static void overLength(Map<String, Object> body, String field, int max, List<String> broken) {
		if (body.get(field) instanceof String s && s.length() > max) {
			broken.add(field + ": over " + max);
		}
	}

}
