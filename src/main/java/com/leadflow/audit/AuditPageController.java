package com.leadflow.audit;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import com.leadflow.actions.ActionType;
import com.leadflow.common.Clock;
import com.leadflow.common.ConflictException;
import com.leadflow.common.InvalidRequestException;
import com.leadflow.common.NotFoundException;
import com.leadflow.leads.Route;
import com.leadflow.scheduling.BusinessCalendar;
import com.leadflow.scheduling.RepRepository;
import com.leadflow.security.Groups;
import com.leadflow.security.UserDirectory;
import com.leadflow.web.pages.PageErrors;
import com.leadflow.web.pages.PageTimes;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.MessageSource;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The manager's audit page: the counts, the lists (leads without a real next action and why,
 * overdue actions by owner, untouched leads, leads of inactive owners, incidents) with CSV
 * exports, and the fixes as forms. It works on the page session (form login, CSRF), never
 * through /api/**; managers only (SecurityConfig).
 */
@Controller
@RequestMapping("/audit")
class AuditPageController {

	private static final Logger log = LoggerFactory.getLogger(AuditPageController.class);

	static final int LIST_SIZE = 50;

	static final int FINDINGS_SHOWN = 200;

	/** A manager sets a call, an email or a content step; a meeting only comes from a call's outcome. */
	static final List<ActionType> REPAIR_TYPES = List.of(ActionType.CALL, ActionType.EMAIL, ActionType.CONTENT);

	/** Fields whose errors have their own message on the page. */
	private static final Set<String> FIELDS = Set.of("type", "dueAt", "assignee", "from", "to", "spread");

	private final AuditService audit;

	private final AuditProperties properties;

	private final UserDirectory users;

	private final RepRepository reps;

	private final BusinessCalendar calendar;

	private final PageTimes times;

	private final MessageSource messages;

	private final PageErrors errors;

	AuditPageController(AuditService audit, AuditProperties properties, UserDirectory users, RepRepository reps,
			BusinessCalendar calendar, PageTimes times, MessageSource messages, PageErrors errors) {
		this.audit = audit;
		this.properties = properties;
		this.users = users;
		this.reps = reps;
		this.calendar = calendar;
		this.times = times;
		this.messages = messages;
		this.errors = errors;
	}

	/** What the last fix did (a message key of the audit bundle, its arguments), shown once. */
	record Flash(boolean ok, String key, List<Object> args, String detail) implements java.io.Serializable {

		public Object[] params() {
			return args.toArray();
		}

	}

	@GetMapping
	String page(@RequestParam(required = false) String owner, @RequestParam(required = false) String route,
			Model model) {
		String who = blankToNull(owner);
		String onRoute = blankToNull(route);
		if (onRoute != null && !AuditService.isRoute(onRoute)) {
			model.addAttribute("routeError", true);
			onRoute = null;
		}
		AuditService.Page<Finding> findings = audit.findings(who, onRoute, 0, FINDINGS_SHOWN);
		model.addAttribute("owner", who);
		model.addAttribute("route", onRoute);
		model.addAttribute("routes", Arrays.stream(Route.values()).map(Route::name).toList());
		model.addAttribute("types", REPAIR_TYPES);
		model.addAttribute("summary", audit.summary());
		model.addAttribute("touchIntervalDays", properties.touchIntervalDays());
		model.addAttribute("findings", findings.content());
		model.addAttribute("findingsTotal", findings.totalElements());
		model.addAttribute("overdueByOwner", audit.overdueByOwner(onRoute));
		model.addAttribute("overdue", audit.overdue(who, onRoute, 0, LIST_SIZE));
		model.addAttribute("untouched", audit.untouched(who, onRoute, 0, LIST_SIZE));
		model.addAttribute("inactiveOwners", audit.inactiveOwners(who, onRoute, 0, LIST_SIZE));
		model.addAttribute("incidents", audit.incidents(0, LIST_SIZE));
		model.addAttribute("activeReps", activeReps());
		model.addAttribute("repairDue", times.input(calendar.nextWorkingTime(
				Clock.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS), calendar.teamZone())));
		return "audit";
	}

	/** The lists as CSV, with the page's filters (the page session cannot use the API's HTTP Basic). */
	@GetMapping("/export/{list}")
	ResponseEntity<byte[]> export(@PathVariable String list, @RequestParam(required = false) String owner,
			@RequestParam(required = false) String route) {
		String who = blankToNull(owner);
		String onRoute = blankToNull(route);
		if (onRoute != null && !AuditService.isRoute(onRoute)) {
			onRoute = null;
		}
		return switch (list) {
			case "no-next-action" -> AuditCsv.findings(audit.findings(who, onRoute, 0, AuditCsv.MAX_ROWS).content());
			case "overdue" -> AuditCsv.overdue(audit.overdue(who, onRoute, 0, AuditCsv.MAX_ROWS).content(), Clock.now());
			case "untouched" -> AuditCsv.leads(list, audit.untouched(who, onRoute, 0, AuditCsv.MAX_ROWS).content());
			case "inactive-owners" ->
				AuditCsv.leads(list, audit.inactiveOwners(who, onRoute, 0, AuditCsv.MAX_ROWS).content());
			case "incidents" -> AuditCsv.incidents(audit.incidents(0, AuditCsv.MAX_ROWS).content());
			default -> throw new NotFoundException("No audit list " + list + ".");
		};
	}

	@PostMapping("/leads/{leadId}/next-action")
	String repair(@PathVariable String leadId, @RequestParam(required = false) String type,
			@RequestParam(required = false) String dueAt, @RequestParam(required = false) String assignee,
			@RequestParam(required = false) String owner, @RequestParam(required = false) String route,
			Authentication authentication, Locale locale, RedirectAttributes redirect) {
		try {
			ActionType actionType = actionType(type);
			Instant due = dueAt(dueAt);
			audit.repair(leadId, actionType, due, blankToNull(assignee), authentication.getName());
			flash(redirect, new Flash(true, "audit.flash.repaired",
					List.of(messages.getMessage("type." + actionType.name(), null, actionType.name(), locale),
							times.input(due).replace('T', ' ')), null));
		}
		catch (RuntimeException ex) {
			flash(redirect, failure(ex, locale));
		}
		return back(redirect, owner, route);
	}

	@PostMapping("/reassign")
	String reassign(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(defaultValue = "to") String mode, @RequestParam(required = false) String owner,
			@RequestParam(required = false) String route, Authentication authentication, Locale locale,
			RedirectAttributes redirect) {
		try {
			String leaving = blankToNull(from);
			if (leaving == null) {
				throw new InvalidRequestException("from", "is required");
			}
			boolean spread = "spread".equals(mode);
			String target = spread ? null : blankToNull(to);
			int moved = audit.reassign(leaving, target, spread, authentication.getName());
			flash(redirect, spread ? new Flash(true, "audit.flash.spread", List.of(moved, leaving), null)
					: new Flash(true, "audit.flash.reassigned", List.of(moved, leaving, target), null));
		}
		catch (RuntimeException ex) {
			flash(redirect, failure(ex, locale));
		}
		return back(redirect, owner, route);
	}

	@PostMapping("/incidents/{incidentId}/retry")
	String retry(@PathVariable String incidentId, @RequestParam(required = false) String owner,
			@RequestParam(required = false) String route, Authentication authentication, Locale locale,
			RedirectAttributes redirect) {
		try {
			String jobId = audit.retryIncident(incidentId, authentication.getName());
			flash(redirect, new Flash(true, "audit.flash.retried", List.of(jobId), null));
		}
		catch (RuntimeException ex) {
			flash(redirect, failure(ex, locale));
		}
		return back(redirect, owner, route);
	}

	@PostMapping("/check")
	String check(@RequestParam(required = false) String owner, @RequestParam(required = false) String route,
			Authentication authentication, RedirectAttributes redirect) {
		AuditService.AuditRun run = audit.check(authentication.getName());
		flash(redirect, new Flash(true, "audit.flash.checked",
				List.of(run.withoutNextAction(), run.activeLeads(), run.incidents()), null));
		return back(redirect, owner, route);
	}

	/** A page answers with the error page, not with the API's problem JSON. */
	@ExceptionHandler(NotFoundException.class)
	void notFound(HttpServletResponse response) throws IOException {
		response.sendError(HttpServletResponse.SC_NOT_FOUND);
	}

	@ExceptionHandler(Exception.class)
	void unexpected(Exception ex, HttpServletResponse response) throws IOException {
		if (com.leadflow.common.DatabaseOutage.isOutage(ex)) {
			log.warn("Database unavailable on the audit page, answered 503: {}", ex.toString());
			response.setHeader("Retry-After", Integer.toString(com.leadflow.common.DatabaseOutage.RETRY_AFTER_SECONDS));
			response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			return;
		}
		log.error("Unexpected error on the audit page; the transaction was rolled back", ex);
		response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
	}

	/** Reps who may take work: members of the reps group not marked inactive. */
	private List<String> activeReps() {
		List<String> members = users.membersOf(Groups.REPS);
		Set<String> inactive = reps.findAll(members)
			.stream()
			.filter(rep -> !rep.active())
			.map(RepRepository.Rep::userId)
			.collect(Collectors.toSet());
		return members.stream().filter(m -> !inactive.contains(m)).sorted().toList();
	}

	private static ActionType actionType(String type) {
		return REPAIR_TYPES.stream()
			.filter(t -> t.name().equals(type))
			.findFirst()
			.orElseThrow(() -> new InvalidRequestException("type", "must be one of " + REPAIR_TYPES));
	}

	private Instant dueAt(String value) {
		try {
			Instant due = times.parseInput(value);
			if (due == null) {
				throw new InvalidRequestException("dueAt", "is required");
			}
			return due;
		}
		catch (DateTimeException ex) {
			throw new InvalidRequestException("dueAt", "must be a date and time");
		}
	}

	private Flash failure(RuntimeException ex, Locale locale) {
		if (ex instanceof InvalidRequestException invalid) {
			InvalidRequestException.FieldError error = invalid.errors().isEmpty() ? null : invalid.errors().get(0);
			String field = error == null ? null : error.field();
			// The field's own message says it in the page's language, and what the service said exactly when it
			// has a message code; a generic one needs the service's words.
			if (field != null && FIELDS.contains(field)) {
				return new Flash(false, "audit.error." + field, List.of(),
						error.code() == null ? null : errors.text(error, locale));
			}
			return new Flash(false, "audit.error.invalid", List.of(),
					error == null || error.code() == null ? invalid.getMessage() : errors.text(error, locale));
		}
		if (ex instanceof ConflictException) {
			return new Flash(false, "audit.error.conflict", List.of(), null);
		}
		if (ex instanceof NotFoundException) {
			return new Flash(false, "audit.error.notFound", List.of(), null);
		}
		throw ex;
	}

	private static void flash(RedirectAttributes redirect, Flash flash) {
		redirect.addFlashAttribute("flash", flash);
	}

	/** Back to the page, with the filters the form was sent from. */
	private static String back(RedirectAttributes redirect, String owner, String route) {
		if (blankToNull(owner) != null) {
			redirect.addAttribute("owner", owner.strip());
		}
		if (blankToNull(route) != null && AuditService.isRoute(route.strip())) {
			redirect.addAttribute("route", route.strip());
		}
		return "redirect:/audit";
	}

	private static String blankToNull(String value) {
		return value == null || value.isBlank() ? null : value.strip();
	}

}
