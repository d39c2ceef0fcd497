package com.leadflow.web.inbox;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.leadflow.actions.ActionType;
import com.leadflow.actions.NextAction;
import com.leadflow.actions.NextActionService;
import com.leadflow.common.Clock;
import com.leadflow.common.ForbiddenException;
import com.leadflow.kpi.KpiReport;
import com.leadflow.kpi.KpiService;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadEvent;
import com.leadflow.leads.LeadEventType;
import com.leadflow.leads.LeadEvents;
import com.leadflow.leads.LeadRepository;
import com.leadflow.security.CurrentUser;
import com.leadflow.security.Groups;
import com.leadflow.security.UserDirectory;
import com.leadflow.web.inbox.LastOutcomes.Last;
import com.leadflow.web.pages.PageTimes;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The rep's working day: overdue, today's and upcoming actions, the day's calls against the
 * target, and for sales the meetings handed to them with what the rep heard.
 */
@Controller
class InboxPageController {

	/** One page of open actions; a rep's plan never comes near it (capacity 50 calls a day). */
	static final int FETCH = 500;

	/** Upcoming actions listed; the count says how many there are. */
	static final int UPCOMING_SHOWN = 30;

	private final NextActionService actions;

	private final LeadRepository leads;

	private final LeadEvents events;

	private final LastOutcomes lastOutcomes;

	private final KpiService kpis;

	private final UserDirectory users;

	private final PageTimes times;

	InboxPageController(NextActionService actions, LeadRepository leads, LeadEvents events, LastOutcomes lastOutcomes,
			KpiService kpis, UserDirectory users, PageTimes times) {
		this.actions = actions;
		this.leads = leads;
		this.events = events;
		this.lastOutcomes = lastOutcomes;
		this.kpis = kpis;
		this.users = users;
		this.times = times;
	}

	/** A row of the inbox. {@code handoff} only for meetings (sales). */
	record Row(NextAction action, Lead lead, String lastOutcome, Instant lastOutcomeAt, Handoff handoff) {
	}

	/** What the rep learned before handing the meeting to sales. */
	record Handoff(String setBy, Map<String, String> hearing, List<String> notes) {
	}

	/** A section of the inbox; {@code count} may exceed the rows shown (upcoming). */
	record Section(String key, List<Row> rows, int count, boolean countIsFloor) {
	}

	/** Calls completed today against the daily target. */
	record CallProgress(long done, int target, int percent) {
	}

	@GetMapping("/inbox")
	String inbox(@RequestParam(required = false) String assignee, Authentication authentication, Model model) {
		CurrentUser user = CurrentUser.of(authentication);
		String who = user.id();
		List<String> groups = new ArrayList<>(user.groups());
		if (assignee != null && !assignee.isBlank() && !assignee.equals(user.id())) {
			if (!user.isManager()) {
				throw new ForbiddenException("Only managers may look at someone else's inbox.");
			}
			who = assignee;
			groups = new ArrayList<>(users.groupsOf(assignee));
		}
		Instant now = Clock.now();
		Instant endOfToday = times.endOfToday();
		List<NextAction> open = actions.inbox(who, groups, null, FETCH + 1, 0);
		boolean truncated = open.size() > FETCH;
		if (truncated) {
			open = open.subList(0, FETCH);
		}
		List<NextAction> overdue = open.stream().filter(a -> a.dueAt().isBefore(now)).toList();
		List<NextAction> today = open.stream()
			.filter(a -> !a.dueAt().isBefore(now) && a.dueAt().isBefore(endOfToday))
			.toList();
		List<NextAction> upcoming = open.stream().filter(a -> !a.dueAt().isBefore(endOfToday)).toList();
		List<NextAction> shown = new ArrayList<>(overdue);
		shown.addAll(today);
		shown.addAll(upcoming.subList(0, Math.min(UPCOMING_SHOWN, upcoming.size())));

		Map<String, Lead> byId = leads.findAllById(shown.stream().map(NextAction::leadId).distinct().toList())
			.stream()
			.collect(Collectors.toMap(Lead::id, Function.identity()));
		Map<String, Last> last = lastOutcomes.of(byId.keySet());
		Function<NextAction, Row> row = a -> {
			Last l = last.get(a.leadId());
			return new Row(a, byId.get(a.leadId()), l == null ? null : l.outcome(), l == null ? null : l.at(),
					a.type() == ActionType.MEETING ? handoff(a.leadId()) : null);
		};
		List<Section> sections = List.of(
				new Section("overdue", overdue.stream().filter(a -> byId.containsKey(a.leadId())).map(row).toList(),
						overdue.size(), false),
				new Section("today", today.stream().filter(a -> byId.containsKey(a.leadId())).map(row).toList(),
						today.size(), false),
				new Section("upcoming",
						upcoming.stream().limit(UPCOMING_SHOWN).filter(a -> byId.containsKey(a.leadId())).map(row).toList(),
						upcoming.size(), truncated));
		model.addAttribute("sections", sections);
		model.addAttribute("viewedUser", who);
		model.addAttribute("progress", users.isMember(who, Groups.REPS) ? progress(who) : null);
		if (user.isManager()) {
			model.addAttribute("reps", users.membersOf(Groups.REPS));
		}
		return "inbox";
	}

	private CallProgress progress(String rep) {
		LocalDate today = times.today();
		KpiReport report = kpis.report(today, today, rep, null);
		long done = report.counts().calls();
		int target = report.targets().callsPerDay();
		int percent = target <= 0 ? 100 : (int) Math.min(100, Math.round(100.0 * done / target));
		return new CallProgress(done, target, percent);
	}

	/** Hearing items (the latest value of each) and notes the reps recorded before the meeting was set. */
	private Handoff handoff(String leadId) {
		Map<String, String> hearing = new LinkedHashMap<>();
		List<String> notes = new ArrayList<>();
		String setBy = null;
		for (LeadEvent event : events.history(leadId)) {
			if (event.type() != LeadEventType.ACTION_COMPLETED) {
				continue;
			}
			if (event.hearing() != null) {
				event.hearing().forEach((k, v) -> {
					if (v != null && !v.isBlank()) {
						hearing.put(k, v);
					}
				});
			}
			if (event.note() != null && !event.note().isBlank()) {
				notes.add(event.note());
			}
			if ("MEETING_SET".equals(event.outcome())) {
				setBy = event.by();
			}
		}
		// The most recent notes are the ones that matter for the meeting.
		List<String> recent = notes.size() > 3 ? notes.subList(notes.size() - 3, notes.size()) : notes;
		return new Handoff(setBy, hearing, List.copyOf(recent));
	}

}
