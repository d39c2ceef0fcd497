package com.leadflow.actions;

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

	NextActionController(NextActionService actions) {
		this.actions = actions;
	}

	record CompletionResponse(LeadView lead) {
	}

	@PostMapping("/api/next-actions/{id}/complete")
	CompletionResponse complete(@PathVariable String id, @Valid @RequestBody CompletionRequest request,
			Authentication authentication) {
		return new CompletionResponse(actions.completeAndView(id, request, CurrentUser.of(authentication)));
	}

}
