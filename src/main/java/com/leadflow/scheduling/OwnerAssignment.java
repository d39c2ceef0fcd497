package com.leadflow.scheduling;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.leadflow.security.Groups;
import com.leadflow.security.UserDirectory;

import org.springframework.stereotype.Component;

/**
 * Who owns a new lead: the explicit owner, else the least-loaded active rep (open actions due in
 * the next few working days or overdue), ties going to the rep assigned longest ago (round robin).
 */
@Component
public class OwnerAssignment {

	/** Reps whose rows are tried for a free one before the pick waits for the best-ranked one. */
	private static final int MAX_SKIPPED = 16;

	private final UserDirectory users;

	private final RepRepository reps;

	private final RepLoad load;

	private final BusinessCalendar calendar;

	private final SchedulingProperties properties;

	OwnerAssignment(UserDirectory users, RepRepository reps, RepLoad load, BusinessCalendar calendar,
			SchedulingProperties properties) {
		this.users = users;
		this.reps = reps;
		this.load = load;
		this.calendar = calendar;
		this.properties = properties;
	}

	/** Whether {@code userId} may own leads: a member of the reps group not marked inactive. */
	public boolean isActiveRep(String userId) {
		return users.isMember(userId, Groups.REPS) && reps.find(userId).map(RepRepository.Rep::active).orElse(true);
	}

	/** Members of the reps group not marked inactive, by id (two queries, whatever the team size). */
	public List<String> activeReps() {
		List<String> members = users.membersOf(Groups.REPS);
		Set<String> inactive = reps.findAll(members)
			.stream()
			.filter(r -> !r.active())
			.map(RepRepository.Rep::userId)
			.collect(Collectors.toSet());
		return members.stream().filter(m -> !inactive.contains(m)).toList();
	}

	/** Picks the owner of a new lead and records the pick; empty when no active rep exists. */
	public Optional<String> pickOwner(Instant now) {
		return pickOwnerExcept(null, now);
	}

	/** Like {@link #pickOwner}, never choosing {@code excluded} (a rep whose work is being spread). */
	public Optional<String> pickOwnerExcept(String excluded, Instant now) {
		List<String> members = users.membersOf(Groups.REPS).stream().filter(m -> !m.equals(excluded)).toList();
		Map<String, RepRepository.Rep> settings = reps.findAll(members)
			.stream()
			.collect(Collectors.toMap(RepRepository.Rep::userId, r -> r));
		List<String> active = members.stream().filter(m -> !settings.containsKey(m) || settings.get(m).active()).toList();
		if (active.isEmpty()) {
			return Optional.empty();
		}
		LocalDate today = now.atZone(calendar.teamZone()).toLocalDate();
		LocalDate horizonDay = calendar.addWorkingDays(today, properties.assignmentHorizonWorkingDays());
		Instant horizon = horizonDay.plusDays(1).atStartOfDay(calendar.teamZone()).toInstant();
		Map<String, Integer> open = load.openActions(active, horizon);
		Comparator<String> byLoad = Comparator.comparingInt(rep -> open.getOrDefault(rep, 0));
		Comparator<String> byLastAssigned = Comparator.comparing(
				rep -> settings.containsKey(rep) ? settings.get(rep).lastAssignedAt() : null,
				Comparator.nullsFirst(Comparator.naturalOrder()));
		List<String> ranked = active.stream().sorted(byLoad.thenComparing(byLastAssigned).thenComparing(rep -> rep)).toList();
		String pick = firstFree(ranked, settings.keySet());
		reps.touchAssigned(pick, now);
		return Optional.of(pick);
	}

	/**
	 * The best-ranked rep whose {@code lf_rep} row no concurrent assignment holds, locked for this
	 * transaction. Concurrent intakes read the same committed loads and rank the reps alike; without
	 * this they would all pick the same rep and wait for each other's commit on its row (recording
	 * the pick), one at a time. Skipping a held row gives the next concurrent intake the next rep, as
	 * the round robin would once the first has committed. A rep without a row yet is free (its row
	 * is created by the pick). Where the database cannot skip locked rows (H2), or after
	 * {@value #MAX_SKIPPED} held rows, the best-ranked rep is picked and the pick waits as before.
	 */
	private String firstFree(List<String> ranked, Set<String> withRow) {
		if (!reps.canSkipLocked()) {
			return ranked.get(0);
		}
		for (String rep : ranked.subList(0, Math.min(MAX_SKIPPED, ranked.size()))) {
			if (!withRow.contains(rep) || reps.lockUnlessHeld(rep)) {
				return rep;
			}
		}
		return ranked.get(0);
	}


}
