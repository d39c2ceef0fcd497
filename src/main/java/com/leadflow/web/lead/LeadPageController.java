package com.leadflow.web.lead;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.leadflow.actions.NextAction;
import com.leadflow.actions.NextActionRepository;
import com.leadflow.common.Clock;
import com.leadflow.common.NotFoundException;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadQueries;
import com.leadflow.leads.LeadView;
import com.leadflow.leads.LeadView.HistoryEntry;
import com.leadflow.process.LeadProcessService;
import com.leadflow.process.LeadProcessService.ProcessPosition;
import com.leadflow.security.CurrentUser;
import com.leadflow.web.pages.LeadAccess;

import org.camunda.bpm.engine.RepositoryService;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * One lead: contact data, route and status, the next action, the whole history, and where the
 * lead stands in its route process (the BPMN diagram with the current activity marked).
 */
@Controller
class LeadPageController {

	private final LeadQueries leads;

	private final NextActionRepository actions;

	private final LeadProcessService processes;

	private final RepositoryService repository;

	LeadPageController(LeadQueries leads, NextActionRepository actions, LeadProcessService processes,
			RepositoryService repository) {
		this.leads = leads;
		this.actions = actions;
		this.processes = processes;
		this.repository = repository;
	}

	@GetMapping("/leads/{id}")
	String lead(@PathVariable String id, Authentication authentication, Model model) {
		CurrentUser user = CurrentUser.of(authentication);
		Lead lead = leads.lead(id);
		LeadAccess.checkMayRead(lead, user);
		LeadView view = leads.view(id, false, true);
		NextAction next = actions.findOpenByLead(id).orElse(null);
		// Newest first: what happened last is what the rep needs before calling.
		List<HistoryEntry> history = new ArrayList<>(view.history());
		Collections.reverse(history);
		model.addAttribute("lead", lead);
		model.addAttribute("view", view);
		model.addAttribute("next", next);
		model.addAttribute("mayComplete", LeadAccess.mayComplete(next, user));
		model.addAttribute("nextOverdue", next != null && next.dueAt().isBefore(Clock.now()));
		model.addAttribute("history", history);
		processes.position(id).ifPresent(position -> {
			model.addAttribute("processKey", position.processDefinitionId().split(":")[0]);
			model.addAttribute("activeIds", String.join(",", position.activeActivityIds()));
		});
		return "lead";
	}

	/** The BPMN XML of the lead's innermost running process, for the diagram viewer on the lead page. */
	@GetMapping("/leads/{id}/process")
	ResponseEntity<byte[]> process(@PathVariable String id, Authentication authentication) throws IOException {
		LeadAccess.checkMayRead(leads.lead(id), CurrentUser.of(authentication));
		ProcessPosition position = processes.position(id)
			.orElseThrow(() -> new NotFoundException("No running process for lead " + id + "."));
		try (InputStream xml = repository.getProcessModel(position.processDefinitionId())) {
			return ResponseEntity.ok()
				.contentType(new MediaType(MediaType.APPLICATION_XML, java.nio.charset.StandardCharsets.UTF_8))
				.cacheControl(CacheControl.noStore())
				.body(xml.readAllBytes());
		}
	}

}
