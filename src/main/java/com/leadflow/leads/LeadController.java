package com.leadflow.leads;

import java.net.URI;
import java.util.EnumSet;

import com.leadflow.common.ForbiddenException;
import com.leadflow.common.InvalidRequestException;
import com.leadflow.leads.LeadQueries.LeadPage;
import com.leadflow.security.CurrentUser;
import com.leadflow.security.Groups;
import jakarta.validation.Valid;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The lead API of API.md: intake, reading, listing, and events reported by sales. */
@RestController
@RequestMapping("/api/leads")
class LeadController {

	static final int MAX_PAGE_SIZE = 200;

	private final LeadIntakeService intake;

	private final LeadQueries queries;

	private final LeadMoves moves;

	LeadController(LeadIntakeService intake, LeadQueries queries, LeadMoves moves) {
		this.intake = intake;
		this.queries = queries;
		this.moves = moves;
	}

	@PostMapping
	ResponseEntity<LeadView> create(@Valid @RequestBody LeadIntakeRequest request, Authentication authentication) {
		LeadIntakeService.Answer answer;
		try {
			answer = intake.submitAndView(request, authentication.getName());
		}
		catch (DuplicateKeyException raced) {
			// The same externalId or email was committed by a concurrent request: now it is found.
			answer = intake.submitAndView(request, authentication.getName());
		}
		if (answer.result().created()) {
			return ResponseEntity.created(URI.create("/api/leads/" + answer.result().leadId())).body(answer.view());
		}
		return ResponseEntity.ok(answer.view());
	}

	@GetMapping("/{id}")
	LeadView get(@PathVariable String id, Authentication authentication) {
		CurrentUser user = CurrentUser.of(authentication);
		checkMayRead(queries.lead(id), user);
		return queries.view(id, false, true);
	}

	@GetMapping
	LeadPage list(@RequestParam(required = false) Route route, @RequestParam(required = false) LeadStatus status,
			@RequestParam(required = false) String owner, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size, Authentication authentication) {
		if (page < 0) {
			throw new InvalidRequestException("page", "must be 0 or more");
		}
		if (size < 1 || size > MAX_PAGE_SIZE) {
			throw new InvalidRequestException("size", "must be between 1 and " + MAX_PAGE_SIZE);
		}
		CurrentUser user = CurrentUser.of(authentication);
		LeadFilter filter = new LeadFilter(route, status, owner, null);
		if (!user.isManager() && !user.isIn(Groups.MARKETING)) {
			if (user.isIn(Groups.REPS)) {
				if (owner != null && !owner.equals(user.id())) {
					throw new ForbiddenException("Reps see their own leads only.");
				}
				filter = new LeadFilter(route, status, user.id(), null);
			}
			else {
				// Sales see the leads handed to them.
				filter = new LeadFilter(route, status, owner, EnumSet.of(LeadStatus.HANDED_OFF, LeadStatus.OPPORTUNITY));
			}
		}
		return queries.page(filter, page, size);
	}

	@PostMapping("/{id}/events")
	LeadView event(@PathVariable String id, @Valid @RequestBody LeadEventRequest request, Authentication authentication) {
		moves.apply(id, request, authentication.getName());
		return queries.view(id, false, false);
	}

	private static void checkMayRead(Lead lead, CurrentUser user) {
		if (user.isManager() || user.isIn(Groups.MARKETING)) {
			return;
		}
		if (user.isIn(Groups.REPS) && user.id().equals(lead.owner())) {
			return;
		}
		if (user.isIn(Groups.SALES) && (lead.status() == LeadStatus.HANDED_OFF || lead.status() == LeadStatus.OPPORTUNITY)) {
			return;
		}
		throw new ForbiddenException("This lead belongs to someone else.");
	}

}
