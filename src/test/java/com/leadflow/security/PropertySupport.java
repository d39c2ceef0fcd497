package com.leadflow.security;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestContextManager;
import org.springframework.test.web.servlet.MockMvc;

/**
 * What the jqwik properties share. jqwik does not run Spring's JUnit extension, so a property class
 * carries {@code @LeadflowTest} and asks Spring's {@link TestContextManager} for its context: the
 * same configuration gives the same cache key, so it is the suite's one shared context, started
 * only if no other test class has started it yet.
 */
final class PropertySupport {

	private PropertySupport() {
	}

	static ApplicationContext springContext(Class<?> testClass) {
		return new TestContextManager(testClass).getTestContext().getApplicationContext();
	}

	record Beans(MockMvc mvc, ObjectMapper json, JdbcTemplate jdbc, IdentityService identity) {

		static Beans of(ApplicationContext context) {
			return new Beans(context.getBean(MockMvc.class), context.getBean(ObjectMapper.class),
					context.getBean(JdbcTemplate.class), context.getBean(IdentityService.class));
		}

	}

	/** A new, active rep (password = id); user ids take letters and digits only. */
	static String freshRep(IdentityService identity, String prefix) {
		String id = prefix + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		User user = identity.newUser(id);
		user.setFirstName(prefix);
		user.setLastName("Property");
		user.setPassword(id);
		identity.saveUser(user);
		identity.createMembership(id, Groups.REPS);
		return id;
	}

	/** Everything a refused request must leave as it was. */
	record Counts(long leads, long events, long actions, long openActions) {

		static Counts of(JdbcTemplate jdbc) {
			return jdbc.queryForObject("SELECT (SELECT COUNT(*) FROM lf_lead), (SELECT COUNT(*) FROM lf_lead_event), "
					+ "(SELECT COUNT(*) FROM lf_next_action), (SELECT COUNT(*) FROM lf_next_action WHERE status = 'OPEN')",
					(rs, n) -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
		}

	}

	// ------------------------------------------------------------------------------------ text

	/** Characters people type (and paste): ASCII, Japanese, emoji, accents, combining marks, RTL, odd spaces. */
	static Arbitrary<Integer> typedCodePoint() {
		return Arbitraries.frequencyOf(Tuple.of(40, Arbitraries.integers().between(0x20, 0x7E)),
				Tuple.of(10, Arbitraries.integers().between(0x3041, 0x30FF)),
				Tuple.of(8, Arbitraries.integers().between(0x4E00, 0x9FFF)),
				Tuple.of(6, Arbitraries.integers().between(0x1F300, 0x1F64F)),
				Tuple.of(6, Arbitraries.of(0x20, 0x09, 0x0A, 0x0D, 0x3000, 0xA0, 0x2003, 0x200B, 0xFEFF)),
				Tuple.of(4, Arbitraries.integers().between(0xC0, 0xFF)),
				Tuple.of(2, Arbitraries.integers().between(0x300, 0x36F)),
				Tuple.of(2, Arbitraries.integers().between(0x600, 0x6FF)));
	}

	/** Control characters no text field takes (all but tab and line breaks), and a lone surrogate. */
	static Arbitrary<Integer> forbiddenCodePoint() {
		return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(0x00, 0x07, 0x08, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F)),
				Tuple.of(2, Arbitraries.integers().between(0x80, 0x9F)), Tuple.of(1, Arbitraries.of(0xD800, 0xDFFF)));
	}

	/** Typed text of one line (no tab or line break) whose UTF-16 length, the one limits count, is in [min, max]. */
	static Arbitrary<String> typedLine(int minChars, int maxChars) {
		return typedCodePoint().filter(cp -> cp >= 0x20 && cp < 0x10000)
			.list()
			.ofMinSize(minChars)
			.ofMaxSize(maxChars)
			.map(PropertySupport::string);
	}

	static Arbitrary<String> typed(int minCodePoints, int maxCodePoints) {
		return typedCodePoint().list().ofMinSize(minCodePoints).ofMaxSize(maxCodePoints).map(PropertySupport::string);
	}

	/** Typed text with one forbidden character somewhere. */
	static Arbitrary<String> withForbidden(int maxCodePoints) {
		return net.jqwik.api.Combinators
			.combine(typedCodePoint().list().ofMaxSize(maxCodePoints), forbiddenCodePoint(), Arbitraries.integers().between(0, 1000))
			.as((points, bad, at) -> {
				List<Integer> all = new java.util.ArrayList<>(points);
				all.add(all.isEmpty() ? 0 : at % (all.size() + 1), bad);
				return string(all);
			});
	}

	static String string(List<Integer> codePoints) {
		StringBuilder text = new StringBuilder();
		codePoints.forEach(text::appendCodePoint);
		return text.toString();
	}

	/** What the API takes as text (its JSON reader refuses the rest). */
	static boolean isPlainText(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F)) {
				return false;
			}
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return false;
			}
		}
		return true;
	}

	static boolean isBlank(Object value) {
		return value == null || (value instanceof String s && s.isBlank());
	}

	/** The intake's documented normalisation of optional text: stripped, blank = absent. */
	static String blankToNull(Object value) {
		return isBlank(value) ? null : ((String) value).strip();
	}

	static String text(Map<String, Object> body, String field) {
		Object value = body.get(field);
		return value instanceof String s ? s : null;
	}

}
