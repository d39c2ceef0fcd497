package com.leadflow.kpi;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.leadflow.common.Clock;
import com.leadflow.common.ForbiddenException;
import com.leadflow.common.InvalidRequestException;
import com.leadflow.scheduling.BusinessCalendar;
import com.leadflow.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** KPIs (API.md), targets and review notes. Managers see anyone; a rep sees itself. */
@RestController
class KpiController {

	private final KpiService kpis;

	private final BusinessCalendar calendar;

	KpiController(KpiService kpis, BusinessCalendar calendar) {
		this.kpis = kpis;
		this.calendar = calendar;
	}

	@GetMapping("/api/kpis")
	KpiReport report(@RequestParam(required = false) LocalDate from, @RequestParam(required = false) LocalDate to,
			@RequestParam(required = false) String rep, @RequestParam(required = false) String granularity,
			Authentication authentication) {
		LocalDate today = Clock.now().atZone(calendar.teamZone()).toLocalDate();
		return kpis.report(from == null ? today.withDayOfMonth(1) : from, to == null ? today : to,
				visibleRep(rep, authentication), granularity(granularity));
	}

	@GetMapping("/api/kpis/reps")
	Map<String, KpiCounts> perRep(@RequestParam LocalDate from, @RequestParam LocalDate to, Authentication authentication) {
		if (!CurrentUser.of(authentication).isManager()) {
			throw new ForbiddenException("The rep-by-rep table is for managers.");
		}
		return kpis.perRep(from, to);
	}

	record TargetsRequest(@NotBlank String quarter, @Size(max = 64) String rep, @NotNull @Valid KpiTargets targets) {
	}

	@GetMapping("/api/kpi-targets")
	Map<String, Object> targets(@RequestParam String quarter, @RequestParam(required = false) String rep,
			Authentication authentication) {
		KpiService.checkQuarter(quarter);
		String who = visibleRep(rep, authentication);
		return Map.of("quarter", quarter, "rep", who == null ? KpiService.TEAM : who, "targets", kpis.targets(quarter, who));
	}

	@PutMapping("/api/kpi-targets")
	Map<String, Object> saveTargets(@Valid @RequestBody TargetsRequest request, Authentication authentication) {
		KpiTargets saved = kpis.saveTargets(request.quarter(), request.rep(), request.targets(), authentication.getName());
		return Map.of("quarter", request.quarter(), "rep", request.rep() == null ? KpiService.TEAM : request.rep(),
				"targets", saved);
	}

	record ReviewRequest(@NotNull LocalDate from, @NotNull LocalDate to, @Size(max = 64) String rep,
			@NotBlank @Size(max = 4000) String note, @Size(max = 4000) String recoveryPlan) {
	}

	@PostMapping("/api/kpi-reviews")
	ResponseEntity<KpiReview> addReview(@Valid @RequestBody ReviewRequest request, Authentication authentication) {
		KpiReview review = kpis.addReview(request.from(), request.to(), request.rep(), request.note(),
				request.recoveryPlan(), authentication.getName());
		return ResponseEntity.created(URI.create("/api/kpi-reviews?from=" + review.from() + "&to=" + review.to()))
			.body(review);
	}

	@GetMapping("/api/kpi-reviews")
	List<KpiReview> reviews(@RequestParam LocalDate from, @RequestParam LocalDate to,
			@RequestParam(required = false) String rep, Authentication authentication) {
		return kpis.reviews(from, to, visibleRep(rep, authentication));
	}

	/** Managers may ask for anyone (null = the team); a rep only for itself. */
	private static String visibleRep(String rep, Authentication authentication) {
		CurrentUser user = CurrentUser.of(authentication);
		if (user.isManager()) {
			return rep == null || rep.isBlank() ? null : rep;
		}
		if (rep != null && !rep.equals(user.id())) {
			throw new ForbiddenException("Reps see their own KPIs only.");
		}
		return user.id();
	}

	private static KpiService.Granularity granularity(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return KpiService.Granularity.valueOf(value.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequestException("granularity", "must be day or week");
		}
	}

}
