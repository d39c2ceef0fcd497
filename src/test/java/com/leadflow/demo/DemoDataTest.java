package com.leadflow.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.leadflow.actions.NextActionRepository;
import com.leadflow.actions.NextActionService;
import com.leadflow.leads.LeadIntakeService;
import com.leadflow.scheduling.BusinessCalendar;
import com.leadflow.testsupport.LeadflowTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The demo week, played through the real services: a living inbox for a newcomer. Tests switch
 * the seeding off at start-up ({@code leadflow.demo-data.enabled=false}), so this test plays it itself.
 */
@LeadflowTest
class DemoDataTest {

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbcClient;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	LeadIntakeService intake;

	@Autowired
	NextActionService completions;

	@Autowired
	NextActionRepository actions;

	@Autowired
	BusinessCalendar calendar;

	@Test
	void isNotSeededWhenSwitchedOff() {
		assertThat(context.getBeanNamesForType(DemoData.class)).isEmpty();
	}

	@Test
	void seedsAWeekOfWorkOverAllRoutesAndRepsWithOneOpenActionPerActiveLead() {
		List<String> ids = new DemoData(jdbcClient, intake, completions, actions, calendar).seedWeek();
		Set<String> leads = Set.copyOf(ids);
		assertThat(leads.size()).isBetween(50, 60);
		String in = "('" + String.join("','", leads) + "')";

		List<String> routes = jdbc.queryForList("SELECT DISTINCT route FROM lf_lead WHERE id IN " + in, String.class);
		assertThat(routes).containsExactlyInAnyOrder("NURTURE", "UPSELL", "RECYCLE", "OUTBOUND");
		List<String> owners = jdbc.queryForList("SELECT DISTINCT owner FROM lf_lead WHERE id IN " + in, String.class);
		assertThat(owners).containsExactlyInAnyOrder("rep1", "rep2");
		assertThat(jdbc.queryForList("SELECT company FROM lf_lead WHERE id IN " + in, String.class))
			.allSatisfy(company -> assertThat(company).contains("株式会社"));

		Long withoutExactlyOne = jdbc.queryForObject("SELECT COUNT(*) FROM lf_lead l WHERE l.id IN " + in
				+ " AND l.status IN ('ACTIVE', 'HANDED_OFF') AND (SELECT COUNT(*) FROM lf_next_action a "
				+ "WHERE a.lead_id = l.id AND a.status = 'OPEN') <> 1", Long.class);
		assertThat(withoutExactlyOne).isZero();

		Long overdue = jdbc.queryForObject("SELECT COUNT(*) FROM lf_next_action WHERE status = 'OPEN' AND lead_id IN " + in
				+ " AND due_at < ?", Long.class, Timestamp.from(Instant.now()));
		assertThat(overdue).as("some actions are overdue").isPositive();
		Long meetings = jdbc.queryForObject("SELECT COUNT(*) FROM lf_next_action WHERE status = 'OPEN' AND type = 'MEETING' "
				+ "AND candidate_group = 'sales' AND lead_id IN " + in, Long.class);
		assertThat(meetings).as("meetings waiting for sales").isPositive();

		Map<String, Object> span = jdbc.queryForMap("SELECT MIN(occurred_at) AS first_at, MAX(occurred_at) AS last_at, "
				+ "COUNT(*) AS events FROM lf_lead_event WHERE lead_id IN " + in);
		Instant first = ((Timestamp) span.get("first_at")).toInstant();
		assertThat(Duration.between(first, Instant.now())).as("a week of past activity").isGreaterThan(Duration.ofDays(5));
		assertThat(((Number) span.get("events")).longValue()).isGreaterThan(100);
		Long calls = jdbc.queryForObject("SELECT COUNT(*) FROM lf_lead_event WHERE type = 'ACTION_COMPLETED' "
				+ "AND action_type = 'CALL' AND lead_id IN " + in, Long.class);
		assertThat(calls).as("calls logged by the reps").isGreaterThan(20);
	}

}
