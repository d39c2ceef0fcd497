package com.leadflow.actions;

import com.leadflow.leads.LeadQueries;
import com.leadflow.leads.LeadView;
import com.leadflow.security.CurrentUser;
import jakarta.validation.Valid;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** POST /api/next-actions/{id}/complete. */
@RestController
class NextActionController {

	private final NextActionService actions;

	private final LeadQueries leads;

	NextActionController(NextActionService actions, LeadQueries leads) {
		this.actions = actions;
		this.leads = leads;
	}

	record CompletionResponse(LeadView lead) {
	}

	@PostMapping("/api/next-actions/{id}/complete")
	CompletionResponse complete(@PathVariable String id, @Valid @RequestBody CompletionRequest request,
			Authentication authentication) {
		String leadId = actions.complete(id, request, CurrentUser.of(authentication));
		return new CompletionResponse(leads.view(leadId, false, false));
	}

}
