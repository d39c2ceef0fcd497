package com.leadflow.actions;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.leadflow.common.Clock;
import com.leadflow.common.ForbiddenException;
import com.leadflow.common.InvalidRequestException;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadRepository;
import com.leadflow.scheduling.BusinessCalendar;
import com.leadflow.security.CurrentUser;
import com.leadflow.security.UserDirectory;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** GET /api/inbox: the caller's open actions (managers: anyone's), soonest first. */
@RestController
class InboxController {

	enum Due {

		TODAY, OVERDUE, ALL

	}

	private final NextActionService actions;

	private final LeadRepository leads;

	private final BusinessCalendar calendar;

	private final UserDirectory users;

	InboxController(NextActionService actions, LeadRepository leads, BusinessCalendar calendar, UserDirectory users) {
		this.actions = actions;
		this.leads = leads;
		this.calendar = calendar;
		this.users = users;
	}

	@GetMapping("/api/inbox")
	List<InboxItem> inbox(@RequestParam(defaultValue = "all") String due, @RequestParam(required = false) String assignee,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "200") int size,
			Authentication authentication) {
		Due window = parseDue(due);
		if (page < 0) {
			throw new InvalidRequestException("page", "must be 0 or more");
		}
		if (size < 1 || size > 500) {
			throw new InvalidRequestException("size", "must be between 1 and 500");
		}
		CurrentUser user = CurrentUser.of(authentication);
		String who = user.id();
		List<String> groups = new ArrayList<>(user.groups());
		if (assignee != null && !assignee.equals(user.id())) {
			if (!user.isManager()) {
				throw new ForbiddenException("Only managers may look at someone else's inbox.");
			}
			who = assignee;
			groups = new ArrayList<>(users.groupsOf(assignee));
		}
		Instant now = Clock.now();
		Instant dueBefore = switch (window) {
			case ALL -> null;
			case OVERDUE -> now;
			case TODAY -> {
				LocalDate today = now.atZone(calendar.teamZone()).toLocalDate();
				yield today.plusDays(1).atStartOfDay(calendar.teamZone()).toInstant();
			}
		};
		// As a long: a page far beyond the end is empty, not an overflowed (negative) offset.
		List<NextAction> open = actions.inbox(who, groups, dueBefore, size, (long) page * size);
		Map<String, Lead> byId = leads.findAllById(open.stream().map(NextAction::leadId).distinct().toList())
			.stream()
			.collect(Collectors.toMap(Lead::id, Function.identity()));
		return open.stream().map(a -> {
			Lead lead = byId.get(a.leadId());
			return new InboxItem(a.id(), a.leadId(), lead == null ? null : lead.company(),
					lead == null ? null : lead.contactName(), a.type(), lead == null ? null : lead.route().name(), a.dueAt(),
					a.assignee(), a.candidateGroup(), a.dueAt().isBefore(now));
		}).toList();
	}

	private static Due parseDue(String due) {
		try {
			return Due.valueOf(due.toUpperCase(java.util.Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequestException("due", "must be today, overdue or all");
		}
	}

}
