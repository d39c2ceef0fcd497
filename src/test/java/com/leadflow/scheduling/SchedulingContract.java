package com.leadflow.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadflow.process.LeadProcess;
import com.leadflow.security.Groups;
import com.leadflow.testsupport.LeadflowApiSupport;

import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;

/**
 * Scheduling through the REST API: capacity leveling, the business calendar of generated due
 * dates (weekends, Japanese holidays, the lead's own time zone, DST), validation of times a rep
 * chooses, owner assignment and overdue escalation. Runs on H2 ({@link SchedulingTest}) and on
 * MySQL ({@link SchedulingMySqlIT}).
 */
abstract class SchedulingContract extends LeadflowApiSupport {

	@org.springframework.beans.factory.annotation.Autowired
	private RepLoad repLoad;

	@org.springframework.beans.factory.annotation.Autowired
	private OwnerAssignment assignment;

	@org.springframework.beans.factory.annotation.Autowired
	private com.leadflow.actions.NextActionService actionService;

	@org.springframework.beans.factory.annotation.Autowired
	private com.leadflow.actions.NextActionRepository actions;

	@org.springframework.beans.factory.annotation.Autowired
	private com.leadflow.security.UserDirectory userDirectory;

	@org.springframework.beans.factory.annotation.Autowired
	private org.springframework.transaction.support.TransactionTemplate tx;

	static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");

	static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

	// ---------------------------------------------------------------- capacity

	@Test
	void levelsOneHundredTwentyNewCallsOverThreeWorkingDaysAtFiftyADay() throws Exception {
		String rep = freshRep("capacity");
		clockAt(tokyo(2026, 12, 2, 10, 0));

		List<Instant> dues = createOutbound(rep, 120);

		assertThat(perTeamDay(dues)).containsExactly(entry(LocalDate.of(2026, 12, 2), 50),
				entry(LocalDate.of(2026, 12, 3), 50), entry(LocalDate.of(2026, 12, 4), 20));
		assertThat(openCallsPerTeamDay(rep)).isEqualTo(perTeamDay(dues));
		// Today's calls are due now; the overflow at the start of the next working mornings.
		assertThat(dues.subList(0, 50)).containsOnly(tokyo(2026, 12, 2, 10, 0));
		assertThat(dues.subList(50, 100)).containsOnly(tokyo(2026, 12, 3, 9, 0));
		assertThat(dues.subList(100, 120)).containsOnly(tokyo(2026, 12, 4, 9, 0));
	}

	@Test
	void levelsOverAWeekendAndAHoliday() throws Exception {
		String rep = freshRep("capacityholiday");
		// Friday; Monday 2026-11-23 is Labor Thanksgiving Day.
		clockAt(tokyo(2026, 11, 20, 10, 0));

		List<Instant> dues = createOutbound(rep, 120);

		assertThat(perTeamDay(dues)).containsExactly(entry(LocalDate.of(2026, 11, 20), 50),
				entry(LocalDate.of(2026, 11, 24), 50), entry(LocalDate.of(2026, 11, 25), 20));
		assertThat(openCallsPerTeamDay(rep)).isEqualTo(perTeamDay(dues));
	}

	@Test
	void usesTheRepsOwnCapacityAndLetsTheRepsOwnCallbackExceedIt() throws Exception {
		String rep = freshRep("capacityown");
		reps.save(rep, true, 10);
		clockAt(tokyo(2026, 12, 2, 10, 0));

		List<JsonNode> leads = createOutboundLeads(rep, 25);
		List<Instant> dues = leads.stream().map(LeadflowApiSupport::dueAt).toList();
		assertThat(perTeamDay(dues)).containsExactly(entry(LocalDate.of(2026, 12, 2), 10),
				entry(LocalDate.of(2026, 12, 3), 10), entry(LocalDate.of(2026, 12, 4), 5));

		// The customer asked for a call on Thursday, a full day: the rep's choice wins.
		Instant chosen = tokyo(2026, 12, 3, 11, 0);
		JsonNode called = complete(actionId(leads.get(0)), rep, callback(chosen));
		assertThat(actionType(called)).isEqualTo("CALL");
		assertThat(dueAt(called)).isEqualTo(chosen);
		assertInvariant(called.get("id").asText());
		assertThat(openCallsPerTeamDay(rep)).containsEntry(LocalDate.of(2026, 12, 3), 11);

		// A generated retry for Thursday (outbound: the next day) still respects the capacity.
		JsonNode retried = complete(actionId(leads.get(1)), rep, "NO_ANSWER");
		assertThat(dueAt(retried)).isEqualTo(tokyo(2026, 12, 4, 9, 0));
		assertInvariant(retried.get("id").asText());
		assertThat(openCallsPerTeamDay(rep)).containsExactly(entry(LocalDate.of(2026, 12, 2), 8),
				entry(LocalDate.of(2026, 12, 3), 11), entry(LocalDate.of(2026, 12, 4), 6));
	}

	@Test
	void skipsFullAndOverfullDaysOfALongBacklogAndTakesTheFirstDayWithRoom() throws Exception {
		String rep = freshRep("capacitybacklog");
		reps.save(rep, true, 2);
		clockAt(tokyo(2026, 12, 2, 10, 0));
		// 25 working days of two calls each: the backlog runs past the days levelling reads at once.
		List<LocalDate> days = calendar.workingDays(LocalDate.of(2026, 12, 2), LocalDate.of(2027, 3, 1)).subList(0, 26);
		List<JsonNode> leads = createOutboundLeads(rep, 50);
		Map<LocalDate, Integer> full = new TreeMap<>();
		days.subList(0, 25).forEach(day -> full.put(day, 2));
		assertThat(perTeamDay(leads.stream().map(LeadflowApiSupport::dueAt).toList())).isEqualTo(full);

		// The rep moves a call of the 20th day onto the 3rd (a callback may exceed the capacity): the 3rd
		// holds three calls, the 20th one.
		LocalDate third = days.get(2);
		LocalDate twentieth = days.get(19);
		JsonNode onTwentieth = leads.get(38);
		assertThat(dueAt(onTwentieth).atZone(calendar.teamZone()).toLocalDate()).isEqualTo(twentieth);
		Instant chosen = third.atTime(11, 0).atZone(TOKYO).toInstant();
		complete(actionId(onTwentieth), rep, callback(chosen));
		full.put(third, 3);
		full.put(twentieth, 1);
		assertThat(openCallsPerTeamDay(rep)).isEqualTo(full);

		// A new call skips the full days and the overfull one and takes the first day with room, the 20th ...
		assertThat(dueAt(createOutboundLeads(rep, 1).get(0))).isEqualTo(twentieth.atTime(9, 0).atZone(TOKYO).toInstant());
		// ... then, with the 20th full again, the first day after the backlog.
		LocalDate after = days.get(25);
		assertThat(dueAt(createOutboundLeads(rep, 1).get(0))).isEqualTo(after.atTime(9, 0).atZone(TOKYO).toInstant());
		full.put(twentieth, 2);
		full.put(after, 1);
		assertThat(openCallsPerTeamDay(rep)).isEqualTo(full);
	}

	@Test
	void readsARepsCallsPerDayFromTheCallCountersExactlyAsTheProjectionHoldsThem() throws Exception {
		String rep = freshRep("callcount");
		String other = freshRep("callcountb");
		reps.save(rep, true, 2);
		Instant now = clockAt(tokyo(2026, 12, 2, 10, 0));
		ZoneId team = calendar.teamZone();
		// Fifteen working days of two calls each.
		List<JsonNode> leads = createOutboundLeads(rep, 30);
		LocalDate from = LocalDate.of(2026, 12, 2);
		LocalDate until = from.plusDays(60);
		assertThat(repLoad.openCallsPerDay(rep, from, until, team)).isEqualTo(openCallsPerDay(rep, team, from, until))
			.hasSize(15);

		// A call becomes an e-mail (no longer a call), one moves to another rep, one is done.
		Instant emailAt = tokyo(2026, 12, 10, 11, 0);
		complete(actionId(leads.get(10)), rep,
				Map.of("outcome", "CONTACTED", "next", Map.of("type", "EMAIL", "dueAt", emailAt.toString())));
		actionService.reassign(actions.findById(actionId(leads.get(20))).orElseThrow(), other, MANAGER);
		complete(actionId(leads.get(29)), rep, "DISQUALIFIED");
		for (LocalDate[] range : List.of(new LocalDate[] { from, until }, new LocalDate[] { from.plusDays(3), from.plusDays(10) },
				new LocalDate[] { from.plusDays(5), from.plusDays(6) }, new LocalDate[] { until, until.plusDays(31) })) {
			assertThat(repLoad.openCallsPerDay(rep, range[0], range[1], team)).as("calls of %s from %s until %s", rep, range[0],
					range[1])
				.isEqualTo(openCallsPerDay(rep, team, range[0], range[1]));
			assertThat(repLoad.openCallsPerDay(other, range[0], range[1], team)).as("calls of %s", other)
				.isEqualTo(openCallsPerDay(other, team, range[0], range[1]));
		}
		assertThat(repLoad.openCallsPerDay(other, from, until, team)).hasSize(1).containsValue(1);
		// A zone whose days start off the whole hour (UTC-3:30, where Tokyo's mornings are the evening before):
		// read from the projection, the same figures.
		ZoneId newfoundland = ZoneId.of("America/St_Johns");
		assertThat(repLoad.openCallsPerDay(rep, from, until, newfoundland))
			.isEqualTo(openCallsPerDay(rep, newfoundland, from, until))
			.containsEntry(LocalDate.of(2026, 12, 3), 2)
			.doesNotContainKey(LocalDate.of(2026, 12, 4));

		// Inside a transaction that closed a call and has not committed yet, the counters' read sees it too.
		String last = actionId(leads.get(28));
		Map<LocalDate, Integer> before = openCallsPerDay(rep, team, from, until);
		Map<String, Integer> loadBefore = repLoad.openActions(List.of(rep), now.plusSeconds(90L * 86_400));
		tx.executeWithoutResult(status -> {
			assertThat(actions.markDone(last, "NO_ANSWER", rep, now)).isTrue();
			Map<LocalDate, Integer> during = openCallsPerDay(rep, team, from, until);
			assertThat(during.values().stream().mapToInt(Integer::intValue).sum())
				.isEqualTo(before.values().stream().mapToInt(Integer::intValue).sum() - 1);
			assertThat(repLoad.openCallsPerDay(rep, from, until, team)).isEqualTo(during);
			assertThat(repLoad.openActions(List.of(rep), now.plusSeconds(90L * 86_400)))
				.containsOnly(entry(rep, loadBefore.get(rep) - 1));
			status.setRollbackOnly();
		});
		assertThat(repLoad.openCallsPerDay(rep, from, until, team)).isEqualTo(before);
	}

	/** A rep's open calls per day of {@code zone} in [from, until), counted in the projection itself. */
	private Map<LocalDate, Integer> openCallsPerDay(String rep, ZoneId zone, LocalDate from, LocalDate until) {
		Map<LocalDate, Integer> days = new java.util.HashMap<>();
		jdbc.sql("SELECT due_at FROM lf_next_action WHERE assignee = ? AND status = 'OPEN' AND type = 'CALL' AND due_at >= ? "
				+ "AND due_at < ?")
			.params(rep, java.sql.Timestamp.from(from.atStartOfDay(zone).toInstant()),
					java.sql.Timestamp.from(until.atStartOfDay(zone).toInstant()))
			.query((rs, n) -> rs.getTimestamp(1).toInstant())
			.list()
			.forEach(due -> days.merge(due.atZone(zone).toLocalDate(), 1, Integer::sum));
		return days;
	}

	// ---------------------------------------------------------------- calendar of generated due dates

	@Test
	void leadCreatedOnSaturdayIsCalledMondayMorning() throws Exception {
		String rep = freshRep("calsat");
		clockAt(tokyo(2026, 12, 5, 11, 0));
		JsonNode lead = createLead("NURTURE", rep);
		assertThat(dueAt(lead)).isEqualTo(tokyo(2026, 12, 7, 9, 0));
		assertInvariant(lead.get("id").asText());
	}

	@Test
	void leadInLosAngelesIsCalledInLosAngelesWorkingHours() throws Exception {
		String rep = freshRep("calla");
		// Wednesday 10:00 in Tokyo is Tuesday 17:00 in Los Angeles: still LA's working hours.
		clockAt(tokyo(2026, 12, 2, 10, 0));
		Map<String, Object> late = leadBody("NURTURE", rep);
		late.put("timeZone", "America/Los_Angeles");
		JsonNode lateLead = createLead(late);
		assertThat(dueAt(lateLead)).isEqualTo(tokyo(2026, 12, 2, 10, 0));
		assertThat(dueAt(lateLead).atZone(LOS_ANGELES).toLocalDateTime()).isEqualTo(LocalDate.of(2026, 12, 1).atTime(17, 0));
		assertInvariant(lateLead.get("id").asText());

		// Wednesday 12:00 in Tokyo is Tuesday 19:00 in Los Angeles: after LA's working hours.
		clockAt(tokyo(2026, 12, 2, 12, 0));
		Map<String, Object> body = leadBody("NURTURE", rep);
		body.put("timeZone", "America/Los_Angeles");
		JsonNode lead = createLead(body);

		Instant due = dueAt(lead);
		assertThat(due.atZone(LOS_ANGELES).toLocalDateTime()).isEqualTo(LocalDate.of(2026, 12, 2).atTime(9, 0));
		assertThat(due).isEqualTo(Instant.parse("2026-12-02T17:00:00Z"));
		assertThat(calendar.isWorkingTime(due, LOS_ANGELES)).isTrue();
		assertThat(calendar.isWorkingTime(due, TOKYO)).as("03:00 on Thursday in Tokyo").isFalse();
		assertInvariant(lead.get("id").asText());
	}

	@Test
	void generatedDueDatesSkipJapaneseHolidays() throws Exception {
		String rep = freshRep("calholiday");
		// Tuesday 2026-11-03 is Culture Day.
		clockAt(tokyo(2026, 11, 3, 10, 0));
		JsonNode cultureDay = createLead("NURTURE", rep);
		assertThat(dueAt(cultureDay)).isEqualTo(tokyo(2026, 11, 4, 9, 0));
		assertInvariant(cultureDay.get("id").asText());

		// New Year's Eve evening: New Year's Day (Friday) and the weekend are skipped.
		clockAt(tokyo(2026, 12, 31, 19, 0));
		JsonNode newYear = createLead("OUTBOUND", rep);
		assertThat(dueAt(newYear)).isEqualTo(tokyo(2027, 1, 4, 9, 0));
		assertInvariant(newYear.get("id").asText());

		// A retry two days after Friday 17:00 lands on Sunday, then on Labor Thanksgiving Day (Monday).
		clockAt(tokyo(2026, 11, 20, 17, 0));
		JsonNode retry = createLead("NURTURE", rep);
		assertThat(dueAt(retry)).isEqualTo(tokyo(2026, 11, 20, 17, 0));
		retry = complete(actionId(retry), rep, "NO_ANSWER");
		assertThat(dueAt(retry)).isEqualTo(tokyo(2026, 11, 24, 9, 0));
		assertInvariant(retry.get("id").asText());
	}

	@Test
	void leadInNewYorkIsCalledAtNineLocalTimeAcrossTheEndOfDaylightSavingTime() throws Exception {
		String rep = freshRep("caldst");
		// A three-day retry keeps the local time of day across the change: 10:00 EDT → 10:00 EST.
		clockAt(Instant.parse("2026-10-30T14:00:00Z"));
		Map<String, Object> upsell = leadBody("UPSELL", rep);
		upsell.put("timeZone", "America/New_York");
		JsonNode customer = createLead(upsell);
		assertThat(dueAt(customer)).isEqualTo(Instant.parse("2026-10-30T14:00:00Z"));
		customer = complete(actionId(customer), rep, "NO_ANSWER");
		assertThat(dueAt(customer)).isEqualTo(Instant.parse("2026-11-02T15:00:00Z"));
		assertThat(dueAt(customer).atZone(NEW_YORK).toLocalTime()).isEqualTo(LocalTime.of(10, 0));
		assertInvariant(customer.get("id").asText());

		// Friday 2026-10-30 19:00 EDT; clocks go back on Sunday 2026-11-01.
		clockAt(Instant.parse("2026-10-30T23:00:00Z"));
		Map<String, Object> body = leadBody("NURTURE", rep);
		body.put("timeZone", "America/New_York");
		JsonNode lead = createLead(body);
		// Monday 09:00 EST (UTC-5), not 09:00 of the summer offset.
		assertThat(dueAt(lead)).isEqualTo(Instant.parse("2026-11-02T14:00:00Z"));
		assertThat(dueAt(lead).atZone(NEW_YORK).toLocalTime()).isEqualTo(LocalTime.of(9, 0));
		assertInvariant(lead.get("id").asText());
	}

	// ---------------------------------------------------------------- overrides

	@Test
	void rejectsCallbacksOutsideTheBusinessCalendarAndChangesNothing() throws Exception {
		String rep = freshRep("override");
		clockAt(tokyo(2026, 12, 2, 10, 0));
		JsonNode lead = createLead("NURTURE", rep);
		String id = lead.get("id").asText();
		String action = actionId(lead);
		Task task = openTasksOf(id).get(0);
		List<String> history = historyTypes(id);

		assertRejected(action, rep, tokyo(2026, 12, 5, 10, 0), "2026-12-05 is a Saturday, not a working day");
		assertRejected(action, rep, tokyo(2026, 12, 2, 20, 0), "20:00 on 2026-12-02 is outside working hours");
		assertRejected(action, rep, tokyo(2026, 12, 3, 18, 0), "18:00 on 2026-12-03 is outside working hours");
		assertRejected(action, rep, tokyo(2026, 12, 3, 8, 59), "08:59 on 2026-12-03 is outside working hours");
		// Monday 2027-01-11 is Coming of Age Day.
		assertRejected(action, rep, tokyo(2027, 1, 11, 10, 0), "2027-01-11 is a holiday");
		assertRejected(action, rep, tokyo(2026, 12, 1, 10, 0), "must be in the future");
		assertRejected(action, rep, tokyo(2026, 12, 2, 10, 0), "must be in the future");

		JsonNode after = assertInvariant(id);
		assertThat(actionId(after)).isEqualTo(action);
		assertThat(dueAt(after)).isEqualTo(tokyo(2026, 12, 2, 10, 0));
		assertThat(after.get("lastTouchAt").isNull()).isTrue();
		assertThat(openTasksOf(id)).extracting(Task::getId).containsExactly(task.getId());
		assertThat(historyTypes(id)).isEqualTo(history);

		// Inside working hours it is taken as chosen.
		JsonNode called = complete(action, rep, callback(tokyo(2026, 12, 3, 17, 59)));
		assertThat(dueAt(called)).isEqualTo(tokyo(2026, 12, 3, 17, 59));
		assertInvariant(id);
	}

	// ---------------------------------------------------------------- assignment

	@Test
	void assignsTheLeastLoadedActiveRepAndBreaksTiesRoundRobin() throws Exception {
		String a = freshRep("assigna");
		String b = freshRep("assignb");
		String c = freshRep("assignc");
		Map<String, Optional<RepRepository.Rep>> others = onlyTheseRepsActive(Set.of(a, b, c));
		try {
			Instant t = clockAt(tokyo(2026, 12, 2, 10, 0));
			createLead("OUTBOUND", a);
			createLead("OUTBOUND", a);
			createLead("OUTBOUND", b);

			// Loads a 2, b 1, c 0.
			assertThat(ownerOfNewLead()).isEqualTo(c);
			// Loads a 2, b 1, c 1: b and c tie; c had the last pick.
			clockAt(t.plusSeconds(1));
			assertThat(ownerOfNewLead()).isEqualTo(b);
			clockAt(t.plusSeconds(2));
			assertThat(ownerOfNewLead()).isEqualTo(c);

			// Loads 2, 2, 2 stay equal (each lead is closed right away): three leads go to three reps.
			Set<String> owners = new HashSet<>();
			for (int i = 0; i < 3; i++) {
				clockAt(t.plusSeconds(3 + i));
				JsonNode lead = createLead("OUTBOUND", null);
				owners.add(lead.get("owner").asText());
				event(lead.get("id").asText(), Map.of("type", "DO_NOT_CONTACT"));
			}
			assertThat(owners).containsExactlyInAnyOrder(a, b, c);
		}
		finally {
			restore(others);
		}
	}

	@Test
	void listsAGroupsMembersFromTheEngineTablesExactlyAsTheIdentityServiceDoes() {
		String rep = freshRep("members");
		String gone = freshRep("membersgone");
		String groupId = "grp" + rep;
		org.camunda.bpm.engine.identity.Group group = identityService.newGroup(groupId);
		identityService.saveGroup(group);
		try {
			identityService.createMembership(rep, groupId);

			// The ids owner assignment ranks: every member, in id order, the same list the user query gives.
			assertThat(userDirectory.membersOf(Groups.REPS)).contains(rep, gone)
				.isSorted()
				.isEqualTo(identityService.createUserQuery().memberOfGroup(Groups.REPS).orderByUserId().asc().list()
					.stream().map(User::getId).toList());
			assertThat(userDirectory.membersOf(groupId)).containsExactly(rep);
			assertThat(userDirectory.membersOf("nosuchgroup")).isEmpty();

			// A user deleted is no member any more, at once (no cache).
			identityService.deleteUser(gone);
			assertThat(userDirectory.membersOf(Groups.REPS)).contains(rep).doesNotContain(gone);
			identityService.deleteMembership(rep, groupId);
			assertThat(userDirectory.membersOf(groupId)).isEmpty();
		}
		finally {
			identityService.deleteGroup(groupId);
		}
	}

	@Test
	void countsEachRepsOpenActionsBeforeTheHorizonFromTheLoadCountersAsTheWorkChanges() throws Exception {
		String a = freshRep("loada");
		String b = freshRep("loadb");
		String idle = freshRep("loadidle");
		Map<String, Optional<RepRepository.Rep>> others = onlyTheseRepsActive(Set.of(a, b));
		try {
			// Overdue work is load as well: a's first call fell due yesterday.
			clockAt(tokyo(2026, 12, 1, 10, 0));
			createLead("OUTBOUND", a);
			Instant t = clockAt(tokyo(2026, 12, 2, 10, 0));
			createLead("OUTBOUND", a);
			String aSecond = createLead("OUTBOUND", a).get("id").asText();
			createLead("OUTBOUND", b);
			String bSecond = createLead("OUTBOUND", b).get("id").asText();
			// b's call due at 10:20: the load up to a horizon inside that hour counts it only before the horizon.
			clockAt(t.plusSeconds(20 * 60));
			createLead("OUTBOUND", b);
			Instant farAhead = t.plusSeconds(30 * 86_400);

			// Loads a 3, b 3; a rep without open actions is absent.
			assertThat(repLoad.openActions(List.of(a, b, idle), farAhead)).containsOnly(entry(a, 3), entry(b, 3));
			assertThat(repLoad.openActions(List.of(idle), farAhead)).isEmpty();
			assertThat(repLoad.openActions(List.of(), farAhead)).isEmpty();
			// Horizons on the hour, inside the hour, before everything: always what the projection holds.
			for (Instant until : List.of(t, t.plusSeconds(60), t.plusSeconds(20 * 60), t.plusSeconds(20 * 60 + 1),
					t.plusSeconds(3600), t.minusSeconds(86_400), t.minusSeconds(2 * 86_400), farAhead)) {
				assertThat(repLoad.openActions(List.of(a, b, idle), until)).as("load before %s", until)
					.isEqualTo(openInProjection(List.of(a, b, idle), until));
			}
			assertThat(repLoad.openActions(List.of(a, b), t)).as("due before 10:00 today").containsOnly(entry(a, 1));

			// Done, cancelled and handed-over actions leave the load at once.
			complete(actionId(lead(aSecond)), a, "DISQUALIFIED");
			assertThat(repLoad.openActions(List.of(a, b), farAhead)).containsOnly(entry(a, 2), entry(b, 3));
			actionService.reassign(actions.findById(actionId(lead(bSecond))).orElseThrow(), a, MANAGER);
			assertThat(repLoad.openActions(List.of(a, b), farAhead)).containsOnly(entry(a, 3), entry(b, 2));
			assertThat(repLoad.openActions(List.of(a, b, idle), farAhead))
				.isEqualTo(openInProjection(List.of(a, b, idle), farAhead));

			// b holds less work and gets the next lead; then they tie, and a (never picked) gets the one after.
			assertThat(assignment.pickOwner(t.plusSeconds(21 * 60))).contains(b);
			createLead("OUTBOUND", b);
			assertThat(repLoad.openActions(List.of(a, b), farAhead)).containsOnly(entry(a, 3), entry(b, 3));
			assertThat(assignment.pickOwner(t.plusSeconds(22 * 60))).contains(a);
		}
		finally {
			restore(others);
		}
	}

	/** Open actions per assignee due before {@code until}, counted in the projection itself. */
	private Map<String, Integer> openInProjection(List<String> assignees, Instant until) {
		Map<String, Integer> open = new java.util.HashMap<>();
		jdbc.sql("SELECT assignee, COUNT(*) AS n FROM lf_next_action WHERE assignee IN (:assignees) AND status = 'OPEN' "
				+ "AND due_at < :until GROUP BY assignee")
			.param("assignees", assignees)
			.param("until", java.sql.Timestamp.from(until))
			.query((rs, i) -> open.put(rs.getString("assignee"), rs.getInt("n")))
			.list();
		return open;
	}

	@Test
	void neverAssignsAnInactiveRepAndRejectsUnknownOrInactiveOwners() throws Exception {
		String a = freshRep("inactivea");
		String b = freshRep("inactiveb");
		Map<String, Optional<RepRepository.Rep>> others = onlyTheseRepsActive(Set.of(a, b));
		try {
			clockAt(tokyo(2026, 12, 2, 10, 0));
			createLead("OUTBOUND", b);
			reps.save(a, false, null);

			// a holds less work, but is inactive.
			for (int i = 0; i < 4; i++) {
				assertThat(ownerOfNewLead()).isEqualTo(b);
			}

			assertOwnerRejected(a);
			assertOwnerRejected("nosuchrep" + b);
			assertOwnerRejected(SALES);

			reps.save(b, false, null);
			Map<String, Object> body = leadBody("OUTBOUND", null);
			MvcResult result = postLead(body).andReturn();
			assertThat(result.getResponse().getStatus()).isEqualTo(400);
			assertThat(read(result).get("detail").asText()).contains("no active rep");
			assertThat(storedLeads(body)).isZero();
		}
		finally {
			restore(others);
		}
	}

	// ---------------------------------------------------------------- overdue escalation

	@Test
	void escalatesACallOverdueByTwoWorkingDaysAndKeepsItOpen() throws Exception {
		String rep = freshRep("overdue");
		clockAt(tokyo(2026, 12, 2, 10, 0));
		String id = createLead("NURTURE", rep).get("id").asText();
		String action = actionId(lead(id));
		List<Job> overdue = timerJobsOf(id, LeadProcess.Elements.BOUNDARY_ACTION_OVERDUE);
		assertThat(overdue).hasSize(1);
		assertThat(overdue.get(0).getDuedate().toInstant()).isEqualTo(tokyo(2026, 12, 4, 10, 0));

		clockAt(tokyo(2026, 12, 4, 9, 59));
		assertThat(executableOverdueJobs(id)).isEmpty();
		clockAt(tokyo(2026, 12, 4, 10, 0));
		assertThat(executableOverdueJobs(id)).hasSize(1);
		managementService.executeJob(overdue.get(0).getId());

		JsonNode lead = assertInvariant(id);
		assertThat(actionId(lead)).isEqualTo(action);
		JsonNode escalated = null;
		for (JsonNode event : lead.get("history")) {
			if ("ESCALATED".equals(event.get("type").asText())) {
				assertThat(escalated).as("one ESCALATED event").isNull();
				escalated = event;
			}
		}
		assertThat(escalated).isNotNull();
		assertThat(escalated.get("actionType").asText()).isEqualTo("CALL");
		assertThat(escalated.get("note").asText()).contains(rep);
		assertThat(timerJobsOf(id, LeadProcess.Elements.BOUNDARY_ACTION_OVERDUE)).isEmpty();
		JsonNode item = inboxItem(rep, id);
		assertThat(item.get("id").asText()).isEqualTo(action);
		assertThat(item.get("overdue").asBoolean()).isTrue();

		// The rep still works it; the lead moves on.
		JsonNode done = complete(action, rep, "CONTACTED");
		assertThat(actionType(done)).isEqualTo("CONTENT");
		assertInvariant(id);
	}

	@Test
	void overdueEscalationCountsWorkingDaysOnly() throws Exception {
		String rep = freshRep("overdueweekend");
		// Friday 10:00: two working days later is Tuesday 10:00.
		clockAt(tokyo(2026, 12, 4, 10, 0));
		String id = createLead("OUTBOUND", rep).get("id").asText();
		List<Job> overdue = timerJobsOf(id, LeadProcess.Elements.BOUNDARY_ACTION_OVERDUE);
		assertThat(overdue).hasSize(1);
		assertThat(overdue.get(0).getDuedate().toInstant()).isEqualTo(tokyo(2026, 12, 8, 10, 0));
	}

	// ---------------------------------------------------------------- helpers

	private List<JsonNode> createOutboundLeads(String owner, int count) throws Exception {
		List<JsonNode> leads = new java.util.ArrayList<>();
		for (int i = 0; i < count; i++) {
			JsonNode lead = createLead("OUTBOUND", owner);
			assertThat(actionType(lead)).isEqualTo("CALL");
			assertThat(calendar.isWorkingTime(dueAt(lead), TOKYO)).isTrue();
			leads.add(lead);
		}
		return leads;
	}

	private List<Instant> createOutbound(String owner, int count) throws Exception {
		return createOutboundLeads(owner, count).stream().map(LeadflowApiSupport::dueAt).toList();
	}

	private Map<LocalDate, Integer> perTeamDay(List<Instant> dues) {
		Map<LocalDate, Integer> days = new TreeMap<>();
		dues.forEach(due -> days.merge(due.atZone(calendar.teamZone()).toLocalDate(), 1, Integer::sum));
		return days;
	}

	/** The rep's open calls per team-zone day, read from the projection. */
	private Map<LocalDate, Integer> openCallsPerTeamDay(String rep) {
		List<Instant> dues = jdbc
			.sql("SELECT due_at FROM lf_next_action WHERE assignee = ? AND status = 'OPEN' AND type = 'CALL'")
			.param(rep)
			.query((rs, n) -> rs.getTimestamp(1).toInstant())
			.list();
		return perTeamDay(dues);
	}

	private void assertRejected(String action, String rep, Instant dueAt, String problem) throws Exception {
		MvcResult result = postComplete(action, rep, callback(dueAt)).andReturn();
		assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(400);
		assertThat(result.getResponse().getContentType()).startsWith("application/problem+json");
		JsonNode body = read(result);
		assertThat(body.get("detail").asText()).startsWith("next.dueAt").contains(problem);
		assertThat(body.get("errors").get(0).get("field").asText()).isEqualTo("next.dueAt");
		if (!problem.contains("future")) {
			assertThat(body.get("detail").asText()).contains("outside the business calendar").contains("Asia/Tokyo");
		}
	}

	private String ownerOfNewLead() throws Exception {
		return createLead("OUTBOUND", null).get("owner").asText();
	}

	private void assertOwnerRejected(String owner) throws Exception {
		Map<String, Object> body = leadBody("OUTBOUND", owner);
		MvcResult result = postLead(body).andReturn();
		assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(400);
		JsonNode problem = read(result);
		assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("owner");
		assertThat(problem.get("detail").asText()).contains(owner);
		assertThat(storedLeads(body)).isZero();
	}

	private long storedLeads(Map<String, Object> body) {
		return jdbc.sql("SELECT COUNT(*) FROM lf_lead WHERE external_id = ?")
			.param(body.get("externalId"))
			.query(Long.class)
			.single();
	}

	private List<Job> executableOverdueJobs(String leadId) {
		return timerJobsOf(leadId, LeadProcess.Elements.BOUNDARY_ACTION_OVERDUE).stream()
			.filter(job -> managementService.createJobQuery().jobId(job.getId()).executable().count() == 1)
			.toList();
	}

	/**
	 * Marks every other member of the reps group inactive (rep1, rep2 and other tests' reps), so
	 * assignment chooses among {@code keep} only; returns what to restore.
	 */
	private Map<String, Optional<RepRepository.Rep>> onlyTheseRepsActive(Set<String> keep) {
		Map<String, Optional<RepRepository.Rep>> saved = new LinkedHashMap<>();
		for (User user : identityService.createUserQuery().memberOfGroup(Groups.REPS).list()) {
			if (keep.contains(user.getId())) {
				continue;
			}
			Optional<RepRepository.Rep> before = reps.find(user.getId());
			saved.put(user.getId(), before);
			reps.save(user.getId(), false, before.map(RepRepository.Rep::dailyCapacity).orElse(null));
		}
		return saved;
	}

	private void restore(Map<String, Optional<RepRepository.Rep>> saved) {
		saved.forEach((user, before) -> {
			if (before.isPresent()) {
				reps.save(user, before.get().active(), before.get().dailyCapacity());
			}
			else {
				jdbc.sql("DELETE FROM lf_rep WHERE user_id = ?").param(user).update();
			}
		});
	}

}
