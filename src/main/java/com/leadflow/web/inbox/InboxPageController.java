package com.leadflow.web.inbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

import com.leadflow.actions.ActionType;
import com.leadflow.actions.NextAction;
import com.leadflow.actions.NextActionService;
import com.leadflow.common.Clock;
import com.leadflow.common.ForbiddenException;
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

	/** Overdue and today's actions listed per section; the count says how many there are. */
	static final int SECTION_ROWS = 100;

	/** Upcoming actions listed; the count says how many there are. */
	static final int UPCOMING_SHOWN = 30;

	/**
	 * Counted at most: beyond it a section says "1000+" (a count of a rep's whole backlog would grow
	 * with the database).
	 */
	static final int COUNT_CAP = 1000;

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
		// Each section reads its own first rows (an index range each) and counts the rest up to a cap:
		// the page costs the same however many actions the user holds.
		List<NextAction> overdue = actions.inbox(who, groups, null, now, SECTION_ROWS);
		List<NextAction> today = actions.inbox(who, groups, now, endOfToday, SECTION_ROWS);
		List<NextAction> upcoming = actions.inbox(who, groups, endOfToday, null, UPCOMING_SHOWN);
		List<NextAction> shown = new ArrayList<>(overdue);
		shown.addAll(today);
		shown.addAll(upcoming);

		Map<String, Lead> byId = leads.findAllById(shown.stream().map(NextAction::leadId).distinct().toList())
			.stream()
			.collect(Collectors.toMap(Lead::id, Function.identity()));
		Map<String, Last> last = lastOutcomes.of(byId.keySet());
		Function<NextAction, Row> row = a -> {
			Last l = last.get(a.leadId());
			return new Row(a, byId.get(a.leadId()), l == null ? null : l.outcome(), l == null ? null : l.at(),
					a.type() == ActionType.MEETING ? handoff(a.leadId()) : null);
		};
		List<String> sectionGroups = groups;
		String sectionUser = who;
		List<Section> sections = List.of(
				section("overdue", overdue, SECTION_ROWS, byId, row,
						() -> actions.countInbox(sectionUser, sectionGroups, null, now, COUNT_CAP)),
				section("today", today, SECTION_ROWS, byId, row,
						() -> actions.countInbox(sectionUser, sectionGroups, now, endOfToday, COUNT_CAP)),
				section("upcoming", upcoming, UPCOMING_SHOWN, byId, row,
						() -> actions.countInbox(sectionUser, sectionGroups, endOfToday, null, COUNT_CAP)));
		model.addAttribute("sections", sections);
		model.addAttribute("viewedUser", who);
		model.addAttribute("progress", users.isMember(who, Groups.REPS) ? progress(who) : null);
		if (user.isManager()) {
			model.addAttribute("reps", users.membersOf(Groups.REPS));
		}
		return "inbox";
	}

	/** A section of the listed rows; counted only when the rows filled the section (else the rows are all). */
	private static Section section(String key, List<NextAction> listed, int shown, Map<String, Lead> byId,
			Function<NextAction, Row> row, IntSupplier count) {
		int total = listed.size() < shown ? listed.size() : count.getAsInt();
		boolean floor = total > COUNT_CAP;
		return new Section(key, listed.stream().filter(a -> byId.containsKey(a.leadId())).map(row).toList(),
				floor ? COUNT_CAP : total, floor);
	}

	private CallProgress progress(String rep) {
		KpiService.DailyCalls calls = kpis.dailyCalls(times.today(), rep);
		long done = calls.done();
		int target = calls.target();
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
