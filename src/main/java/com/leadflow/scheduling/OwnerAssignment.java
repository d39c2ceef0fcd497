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
 * the next few working days), ties going to the rep assigned longest ago (round robin).
 */
@Component
public class OwnerAssignment {

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
		String pick = active.stream().min(byLoad.thenComparing(byLastAssigned).thenComparing(rep -> rep)).orElseThrow();
		reps.touchAssigned(pick, now);
		return Optional.of(pick);
	}


}
