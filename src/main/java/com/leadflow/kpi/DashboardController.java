package com.leadflow.kpi;

import java.io.IOException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.leadflow.common.Clock;
import com.leadflow.common.ForbiddenException;
import com.leadflow.common.InvalidRequestException;
import com.leadflow.kpi.DashboardView.Charts;
import com.leadflow.kpi.DashboardView.QuickRange;
import com.leadflow.kpi.KpiService.Granularity;
import com.leadflow.scheduling.BusinessCalendar;
import com.leadflow.security.CurrentUser;
import com.leadflow.security.Groups;
import com.leadflow.security.UserDirectory;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.MessageSource;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The manager dashboard page: KPIs of a period against their targets, the funnel, daily and weekly
 * trends, the rep-by-rep table and the review notes, with a form to add one. Same visibility as
 * the KPI API: managers see the team or any rep, a rep only itself.
 */
@Controller
@RequestMapping("/dashboard")
class DashboardController {

	private static final Logger log = LoggerFactory.getLogger(DashboardController.class);

	private final KpiService kpis;

	private final BusinessCalendar calendar;

	private final MessageSource messages;

	private final UserDirectory users;

	DashboardController(KpiService kpis, BusinessCalendar calendar, MessageSource messages, UserDirectory users) {
		this.kpis = kpis;
		this.calendar = calendar;
		this.messages = messages;
		this.users = users;
	}

	/** The review form; the period and rep are those on screen. */
	record ReviewForm(String from, String to, String rep, @NotBlank @Size(max = 4000) String note,
			@Size(max = 4000) String recoveryPlan) {
	}

	/** The period shown and, when the one asked for was unusable, the message code saying why. */
	record Period(LocalDate from, LocalDate to, String error) {
	}

	@GetMapping
	String dashboard(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) String rep, Authentication authentication, Locale locale, Model model) {
		CurrentUser user = CurrentUser.of(authentication);
		String who = visibleRep(rep, user);
		Period period = period(from, to);
		if (!model.containsAttribute("reviewForm")) {
			model.addAttribute("reviewForm",
					new ReviewForm(period.from().toString(), period.to().toString(), who, "", ""));
		}
		fill(model, period, who, user, locale);
		return "dashboard";
	}

	@PostMapping("/reviews")
	String addReview(@Valid @ModelAttribute("reviewForm") ReviewForm form, BindingResult errors,
			Authentication authentication, Locale locale, Model model, RedirectAttributes redirect,
			HttpServletResponse response) {
		CurrentUser user = CurrentUser.of(authentication);
		if (!user.isManager()) {
			throw new ForbiddenException("Only managers record review notes.");
		}
		String rep = blankToNull(form.rep());
		Period period = period(form.from(), form.to());
		if (period.error() != null) {
			errors.reject(period.error());
		}
		if (!errors.hasErrors()) {
			try {
				kpis.addReview(period.from(), period.to(), rep, form.note().strip(), blankToNull(form.recoveryPlan()),
						user.id());
				redirect.addAttribute("from", period.from().toString());
				redirect.addAttribute("to", period.to().toString());
				if (rep != null) {
					redirect.addAttribute("rep", rep);
				}
				redirect.addFlashAttribute("saved", true);
				return "redirect:/dashboard";
			}
			catch (InvalidRequestException ex) {
				errors.reject("dashboard.error.review");
			}
		}
		response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
		fill(model, period, rep, user, locale);
		return "dashboard";
	}

	/** A page answers with the error page, not with the API's problem JSON. */
	@ExceptionHandler(ForbiddenException.class)
	void forbidden(HttpServletResponse response) throws IOException {
		response.sendError(HttpServletResponse.SC_FORBIDDEN);
	}

	@ExceptionHandler(Exception.class)
	void unexpected(Exception ex, HttpServletResponse response) throws IOException {
		if (com.leadflow.common.DatabaseOutage.isOutage(ex)) {
			log.warn("Database unavailable on the dashboard, answered 503: {}", ex.toString());
			response.setHeader("Retry-After", Integer.toString(com.leadflow.common.DatabaseOutage.RETRY_AFTER_SECONDS));
			response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			return;
		}
		log.error("Unexpected error on the dashboard; nothing was changed", ex);
		response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
	}

	private void fill(Model model, Period period, String rep, CurrentUser user, Locale locale) {
		DashboardView view = new DashboardView(messages, locale);
		ZoneId zone = calendar.teamZone();
		LocalDate today = Clock.now().atZone(zone).toLocalDate();
		LocalDate from = period.from();
		LocalDate to = period.to();
		KpiReport daily = kpis.report(from, to, rep, Granularity.DAY);
		KpiReport weekly = kpis.report(from, to, rep, Granularity.WEEK);
		model.addAttribute("from", from);
		model.addAttribute("to", to);
		model.addAttribute("rep", rep);
		model.addAttribute("me", user.id());
		model.addAttribute("manager", user.isManager());
		model.addAttribute("periodError", period.error());
		model.addAttribute("repNotice", repNotice(rep));
		model.addAttribute("quickRanges", quickRanges(today, from, to));
		model.addAttribute("report", daily);
		model.addAttribute("cards", view.cards(daily));
		model.addAttribute("funnel", view.funnel(daily.counts()));
		if (user.isManager()) {
			Map<String, KpiCounts> perRep = kpis.perRep(from, to);
			model.addAttribute("repRows", view.repRows(perRep, kpis.targets(KpiService.quarterOf(from), null)));
			List<String> options = new ArrayList<>(perRep.keySet());
			if (rep != null && !options.contains(rep)) {
				options.add(rep);
			}
			options.sort(null);
			model.addAttribute("repOptions", options);
		}
		model.addAttribute("reviews", view.reviews(kpis.reviews(from, to, rep), zone));
		model.addAttribute("charts", new Charts(DashboardView.series(daily.series(), today, calendar::isWorkingDay),
				DashboardView.series(weekly.series(), today, week -> true), view.chartLabels()));
	}

	/**
	 * Why the figures of the rep asked for are empty or partial, as a message code (null when the rep is
	 * one): said on the page, since zeros alone would read as a rep who did nothing.
	 */
	private String repNotice(String rep) {
		if (rep == null || users.isMember(rep, Groups.REPS)) {
			return null;
		}
		return users.exists(rep) ? "dashboard.error.notRep" : "dashboard.error.unknownUser";
	}

	/** Managers may ask for anyone (null = the team); a rep only for itself. */
	private static String visibleRep(String rep, CurrentUser user) {
		String asked = blankToNull(rep);
		if (user.isManager()) {
			return asked;
		}
		if (asked != null && !asked.equals(user.id())) {
			throw new ForbiddenException("Reps see their own KPIs only.");
		}
		return user.id();
	}

	/** The period asked for; this month when none was given or the one given is unusable. */
	private Period period(String from, String to) {
		LocalDate today = Clock.now().atZone(calendar.teamZone()).toLocalDate();
		LocalDate monthStart = today.withDayOfMonth(1);
		LocalDate monthEnd = today.with(TemporalAdjusters.lastDayOfMonth());
		LocalDate start;
		LocalDate end;
		try {
			start = blankToNull(from) == null ? monthStart : LocalDate.parse(from.strip());
			end = blankToNull(to) == null ? monthEnd : LocalDate.parse(to.strip());
		}
		catch (DateTimeParseException ex) {
			return new Period(monthStart, monthEnd, "dashboard.error.date");
		}
		if (start.isAfter(end)) {
			return new Period(monthStart, monthEnd, "dashboard.error.range");
		}
		if (start.plusYears(2).isBefore(end)) {
			return new Period(monthStart, monthEnd, "dashboard.error.span");
		}
		return new Period(start, end, null);
	}

	private static List<QuickRange> quickRanges(LocalDate today, LocalDate from, LocalDate to) {
		LocalDate weekStart = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
		LocalDate monthStart = today.withDayOfMonth(1);
		LocalDate quarterStart = LocalDate.of(today.getYear(), (today.get(IsoFields.QUARTER_OF_YEAR) - 1) * 3 + 1, 1);
		return List.of(quick("week", weekStart, weekStart.plusDays(6), from, to),
				quick("month", monthStart, today.with(TemporalAdjusters.lastDayOfMonth()), from, to),
				quick("quarter", quarterStart, quarterStart.plusMonths(3).minusDays(1), from, to));
	}

	private static QuickRange quick(String key, LocalDate start, LocalDate end, LocalDate from, LocalDate to) {
		return new QuickRange(key, start, end, start.equals(from) && end.equals(to));
	}

	private static String blankToNull(String value) {
		return value == null || value.isBlank() ? null : value.strip();
	}

}
