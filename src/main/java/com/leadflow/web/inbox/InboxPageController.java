package com.leadflow.web.inbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.leadflow.actions.ActionType;
import com.leadflow.actions.NextAction;
import com.leadflow.actions.NextActionRepository;
import com.leadflow.common.Clock;
import com.leadflow.common.ForbiddenException;
import com.leadflow.kpi.KpiService;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadEvent;
import com.leadflow.leads.LeadEventType;
import com.leadflow.leads.LeadEvents;
import com.leadflow.leads.LeadRepository;
import com.leadflow.scheduling.ActionPlanner;
import com.leadflow.security.CurrentUser;
import com.leadflow.security.Groups;
import com.leadflow.security.UserDirectory;
import com.leadflow.web.inbox.LastOutcomes.Last;
import com.leadflow.web.pages.PageLinks;
import com.leadflow.web.pages.PageTimes;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The rep's working day: overdue, today's and upcoming actions, the day's calls against the
 * target, and for sales the meetings handed to them with what the rep heard.
 */
@Controller
class InboxPageController {

	/** Overdue and today's actions listed per page of a section; the count says how many there are. */
	static final int SECTION_ROWS = 100;

	/** Upcoming actions listed per page; the count says how many there are. */
	static final int UPCOMING_SHOWN = 30;

	/** The query parameter of a section's page ({@code overduePage}, 0 = the first), kept by every other link. */
	static String pageParam(String section) {
		return section + "Page";
	}

	/**
	 * Counted at most: beyond it a section says "1000+" (a count of a rep's whole backlog would grow
	 * with the database).
	 */
	static final int COUNT_CAP = 1000;

	private final NextActionRepository actions;

	private final LeadRepository leads;

	private final LeadEvents events;

	private final LastOutcomes lastOutcomes;

	private final KpiService kpis;

	private final UserDirectory users;

	private final PageTimes times;

	private final ActionPlanner planner;

	InboxPageController(NextActionRepository actions, LeadRepository leads, LeadEvents events,
			LastOutcomes lastOutcomes, KpiService kpis, UserDirectory users, PageTimes times, ActionPlanner planner) {
		this.actions = actions;
		this.leads = leads;
		this.events = events;
		this.lastOutcomes = lastOutcomes;
		this.kpis = kpis;
		this.users = users;
		this.times = times;
		this.planner = planner;
	}

	/** A row of the inbox. {@code handoff} only for meetings (sales). */
	record Row(NextAction action, Lead lead, String lastOutcome, Instant lastOutcomeAt, Handoff handoff) {
	}

	/** What the rep learned before handing the meeting to sales. */
	record Handoff(String setBy, Map<String, String> hearing, List<String> notes) {
	}

	/**
	 * A page of a section of the inbox: its rows are rows {@code first} to {@code first + rows - 1} (0-based)
	 * of {@code count}; {@code previous} and {@code next} link the neighbouring pages (null: none).
	 */
	record Section(String key, List<Row> rows, int count, boolean countIsFloor, int first, String previous,
			String next) {

		/** 1-based number of the first row listed, for "31–60 of 101". */
		public int from() {
			return first + 1;
		}

		public int to() {
			return first + rows.size();
		}

		public boolean paged() {
			return previous != null || next != null;
		}
	}

	/** Calls completed today against the daily target. */
	record CallProgress(long done, int target, int percent) {
	}

	@GetMapping("/inbox")
	String inbox(@RequestParam(required = false) String assignee, @RequestParam MultiValueMap<String, String> query,
			Authentication authentication, Model model) {
		CurrentUser user = CurrentUser.of(authentication);
		String who = user.id();
		List<String> groups = new ArrayList<>(user.groups());
		if (user.isManager()) {
			model.addAttribute("reps", users.membersOf(Groups.REPS));
			model.addAttribute("sales", users.membersOf(Groups.SALES));
		}
		if (assignee != null && !assignee.isBlank() && !assignee.equals(user.id())) {
			if (!user.isManager()) {
				throw new ForbiddenException("Only managers may look at someone else's inbox.");
			}
			if (!users.exists(assignee)) {
				// Said so on the page: an empty inbox would read as "nothing to do".
				model.addAttribute("unknownUser", assignee);
				model.addAttribute("sections", List.of());
				model.addAttribute("viewedUser", assignee);
				return "inbox";
			}
			who = assignee;
			groups = new ArrayList<>(users.groupsOf(assignee));
			// The outcome forms opened here bring the manager back to this inbox.
			model.addAttribute("inboxOf", who);
		}
		Instant now = Clock.now();
		Instant endOfToday = times.endOfToday();
		// Each section reads one page (an index range each, one row more to know whether a next page
		// exists) and counts the rest up to a cap: the page costs the same however many actions the
		// user holds. Today lists at least a day's capacity, so a full day needs no paging.
		List<Window> windows = List.of(new Window("overdue", null, now, SECTION_ROWS),
				new Window("today", now, endOfToday, Math.max(SECTION_ROWS, planner.capacityOf(who))),
				new Window("upcoming", endOfToday, null, UPCOMING_SHOWN));
		Map<String, Listed> listed = new LinkedHashMap<>();
		for (Window window : windows) {
			listed.put(window.key(), read(who, groups, window, page(query.getFirst(pageParam(window.key())))));
		}
		List<NextAction> shown = listed.values().stream().flatMap(l -> l.actions().stream()).toList();

		Map<String, Lead> byId = leads.findAllById(shown.stream().map(NextAction::leadId).distinct().toList())
			.stream()
			.collect(Collectors.toMap(Lead::id, Function.identity()));
		Map<String, Last> last = lastOutcomes.of(byId.keySet());
		Function<NextAction, Row> row = a -> {
			Last l = last.get(a.leadId());
			return new Row(a, byId.get(a.leadId()), l == null ? null : l.outcome(), l == null ? null : l.at(),
					a.type() == ActionType.MEETING ? handoff(a.leadId()) : null);
		};
		List<Section> sections = windows.stream()
			.map(w -> section(w, listed.get(w.key()), byId, row, query))
			.toList();
		model.addAttribute("sections", sections);
		model.addAttribute("viewedUser", who);
		model.addAttribute("progress", users.isMember(who, Groups.REPS) ? progress(who) : null);
		return "inbox";
	}

	/** A section's due range and page size. */
	private record Window(String key, Instant dueFrom, Instant dueBefore, int size) {
	}

	/** The actions of a section's page, from row {@code first}, and how many the section holds (up to the cap). */
	private record Listed(List<NextAction> actions, int first, boolean hasNext, int count) {
	}

	/** The page asked for; beyond the last one, the last one (the count tells where it is). */
	private Listed read(String who, List<String> groups, Window window, int page) {
		long offset = (long) page * window.size();
		List<NextAction> rows = actions.inbox(who, groups, window.dueFrom(), window.dueBefore(), window.size() + 1,
				offset);
		if (rows.isEmpty() && page > 0) {
			int count = countOf(who, groups, window);
			int last = count == 0 ? 0 : (count - 1) / window.size();
			return last < page ? read(who, groups, window, last) : new Listed(List.of(), (int) offset, false, count);
		}
		boolean hasNext = rows.size() > window.size();
		List<NextAction> listed = hasNext ? rows.subList(0, window.size()) : rows;
		// Counted only when there is more than this page shows (else the rows say how many there are).
		int count = hasNext ? countOf(who, groups, window) : (int) offset + listed.size();
		return new Listed(listed, (int) offset, hasNext, count);
	}

	private int countOf(String who, List<String> groups, Window window) {
		return actions.countInbox(who, groups, window.dueFrom(), window.dueBefore(), COUNT_CAP);
	}

	private Section section(Window window, Listed listed, Map<String, Lead> byId, Function<NextAction, Row> row,
			MultiValueMap<String, String> query) {
		int total = listed.count();
		boolean floor = total > COUNT_CAP;
		int page = listed.first() / window.size();
		String param = pageParam(window.key());
		String previous = page == 0 ? null
				: PageLinks.to("/inbox", query, List.of(), param, page == 1 ? null : Integer.toString(page - 1),
						window.key());
		String next = listed.hasNext()
				? PageLinks.to("/inbox", query, List.of(), param, Integer.toString(page + 1), window.key()) : null;
		return new Section(window.key(),
				listed.actions().stream().filter(a -> byId.containsKey(a.leadId())).map(row).toList(),
				floor ? COUNT_CAP : total, floor, listed.first(), previous, next);
	}

	/** A page number from the query: 0 (the first) unless a number from 1 up. */
	static int page(String value) {
		try {
			return value == null ? 0 : Math.max(0, Integer.parseInt(value.strip()));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
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
