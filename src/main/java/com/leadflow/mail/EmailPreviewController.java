package com.leadflow.mail;

import java.util.Set;

import com.leadflow.actions.ActionType;
import com.leadflow.actions.NextAction;
import com.leadflow.actions.NextActionRepository;
import com.leadflow.common.ForbiddenException;
import com.leadflow.common.InvalidRequestException;
import com.leadflow.common.NotFoundException;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadRepository;
import com.leadflow.security.CurrentUser;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /api/next-actions/{id}/email-preview: the mail the caller would send by completing the
 * action with outcome SENT, rendered for the lead, for the rep to read and edit first.
 */
@RestController
class EmailPreviewController {

	private final NextActionRepository actions;

	private final LeadRepository leads;

	private final LeadMail mail;

	EmailPreviewController(NextActionRepository actions, LeadRepository leads, LeadMail mail) {
		this.actions = actions;
		this.leads = leads;
		this.mail = mail;
	}

	/**
	 * @param body the editable plain text (the unsubscribe footer is added when sending)
	 * @param html the HTML alternative sent when the body is not edited, or null
	 * @param templates the templates the rep may choose instead
	 */
	record Preview(String actionId, String template, String language, String to, String subject, String body,
			String html, String unsubscribeUrl, Set<String> templates) {
	}

	@GetMapping("/api/next-actions/{id}/email-preview")
	Preview preview(@PathVariable String id, @RequestParam(required = false) String template,
			Authentication authentication) {
		NextAction action = actions.findById(id).orElseThrow(() -> new NotFoundException("No next action " + id + "."));
		CurrentUser user = CurrentUser.of(authentication);
		boolean mayWork = user.isManager() || user.id().equals(action.assignee())
				|| (action.assignee() == null && action.candidateGroup() != null && user.isIn(action.candidateGroup()));
		if (!mayWork) {
			throw new ForbiddenException("This action belongs to someone else.");
		}
		if (action.type() != ActionType.EMAIL && action.type() != ActionType.CONTENT) {
			throw new InvalidRequestException("id", "is a " + action.type() + " action; only EMAIL and CONTENT actions send mail");
		}
		Lead lead = leads.findById(action.leadId()).orElseThrow();
		String name = LeadMail.templateFor(template, action.content());
		MailTemplates.Rendered rendered = mail.preview(lead, name, user.id());
		return new Preview(action.id(), rendered.name(), rendered.language(), lead.email(), rendered.subject(),
				rendered.text(), rendered.html(), mail.unsubscribeUrl(lead.id()), mail.leadTemplates());
	}

}
