package com.leadflow.audit;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import com.leadflow.actions.ActionType;
import com.leadflow.common.Clock;
import com.leadflow.common.InvalidRequestException;
import com.leadflow.leads.Route;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The manager's audit API (API.md, extended): counts, lists (JSON or CSV), and fixes in place. */
@RestController
class AuditController {

	private final AuditService audit;

	AuditController(AuditService audit) {
		this.audit = audit;
	}

	@GetMapping("/api/audit")
	AuditService.Summary summary() {
		return audit.summary();
	}

	@GetMapping("/api/audit/no-next-action")
	ResponseEntity<?> noNextAction(@RequestParam(required = false) String owner, @RequestParam(required = false) String route,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
			@RequestParam(required = false) String format) {
		checkPage(page, size, route);
		if (csv(format)) {
			return AuditCsv.findings(audit.findings(owner, route, 0, AuditCsv.MAX_ROWS).content());
		}
		return ResponseEntity.ok(audit.findings(owner, route, page, size));
	}

	@GetMapping("/api/audit/overdue")
	ResponseEntity<?> overdue(@RequestParam(required = false) String owner, @RequestParam(required = false) String route,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
			@RequestParam(required = false) String format) {
		checkPage(page, size, route);
		if (csv(format)) {
			return AuditCsv.overdue(audit.overdue(owner, route, 0, AuditCsv.MAX_ROWS).content(), Clock.now());
		}
		return ResponseEntity.ok(audit.overdue(owner, route, page, size));
	}

	@GetMapping("/api/audit/untouched")
	ResponseEntity<?> untouched(@RequestParam(required = false) String owner, @RequestParam(required = false) String route,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
			@RequestParam(required = false) String format) {
		checkPage(page, size, route);
		if (csv(format)) {
			return AuditCsv.leads("untouched", audit.untouched(owner, route, 0, AuditCsv.MAX_ROWS).content());
		}
		return ResponseEntity.ok(audit.untouched(owner, route, page, size));
	}

	@GetMapping("/api/audit/inactive-owners")
	ResponseEntity<?> inactiveOwners(@RequestParam(required = false) String owner,
			@RequestParam(required = false) String route, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "50") int size, @RequestParam(required = false) String format) {
		checkPage(page, size, route);
		if (csv(format)) {
			return AuditCsv.leads("inactive-owners", audit.inactiveOwners(owner, route, 0, AuditCsv.MAX_ROWS).content());
		}
		return ResponseEntity.ok(audit.inactiveOwners(owner, route, page, size));
	}

	@GetMapping("/api/audit/incidents")
	ResponseEntity<?> incidents(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
			@RequestParam(required = false) String format) {
		checkPage(page, size, null);
		if (csv(format)) {
			return AuditCsv.incidents(audit.incidents(0, AuditCsv.MAX_ROWS).content());
		}
		return ResponseEntity.ok(audit.incidents(page, size));
	}

	record RepairRequest(@NotNull ActionType type, @NotNull Instant dueAt, @Size(max = 64) String assignee) {
	}

	@PostMapping("/api/audit/leads/{leadId}/next-action")
	ResponseEntity<Void> repair(@PathVariable String leadId, @Valid @RequestBody RepairRequest request,
			Authentication authentication) {
		audit.repair(leadId, request.type(), request.dueAt(), request.assignee(), authentication.getName());
		return ResponseEntity.noContent().location(java.net.URI.create("/api/leads/" + leadId)).build();
	}

	record ReassignRequest(@NotNull @Size(min = 1, max = 64) String from, @Size(max = 64) String to, Boolean spread) {
	}

	record ReassignResult(int reassigned) {
	}

	@PostMapping("/api/audit/reassign")
	ReassignResult reassign(@Valid @RequestBody ReassignRequest request, Authentication authentication) {
		return new ReassignResult(audit.reassign(request.from(), request.to(), Boolean.TRUE.equals(request.spread()),
				authentication.getName()));
	}

	record RetryResult(String jobId) {
	}

	@PostMapping("/api/audit/incidents/{incidentId}/retry")
	RetryResult retry(@PathVariable String incidentId, Authentication authentication) {
		return new RetryResult(audit.retryIncident(incidentId, authentication.getName()));
	}

	@PostMapping("/api/audit/check")
	AuditService.AuditRun check(Authentication authentication) {
		return audit.check(authentication.getName());
	}

	private static boolean csv(String format) {
		if (format == null) {
			return false;
		}
		if (!format.equalsIgnoreCase("csv") && !format.equalsIgnoreCase("json")) {
			throw new InvalidRequestException("format", "must be csv or json");
		}
		return format.equalsIgnoreCase("csv");
	}

	private static void checkPage(int page, int size, String route) {
		if (route != null && !AuditService.isRoute(route)) {
			throw new InvalidRequestException("route", "must be one of " + Arrays.toString(Route.values()));
		}
		if (page < 0) {
			throw new InvalidRequestException("page", "must be 0 or more");
		}
		if (size < 1 || size > 500) {
			throw new InvalidRequestException("size", "must be between 1 and 500");
		}
	}

}
