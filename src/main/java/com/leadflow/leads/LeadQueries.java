package com.leadflow.leads;

import java.util.List;
import java.util.Map;

import com.leadflow.actions.NextAction;
import com.leadflow.actions.NextActionRepository;
import com.leadflow.common.NotFoundException;
import com.leadflow.leads.LeadView.HistoryEntry;
import com.leadflow.leads.LeadView.NextActionView;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads leads as the API shows them: the lead, its open next action, its history. */
@Service
public class LeadQueries {

	private final LeadRepository leads;

	private final NextActionRepository actions;

	private final LeadEvents events;

	LeadQueries(LeadRepository leads, NextActionRepository actions, LeadEvents events) {
		this.leads = leads;
		this.actions = actions;
		this.events = events;
	}

	@Transactional(readOnly = true)
	public Lead lead(String id) {
		return leads.findById(id).orElseThrow(() -> new NotFoundException("No lead " + id + "."));
	}

	@Transactional(readOnly = true)
	public LeadView view(String id, boolean deduplicated, boolean withHistory) {
		Lead lead = lead(id);
		List<HistoryEntry> history = withHistory ? events.history(id).stream().map(HistoryEntry::of).toList() : null;
		return LeadView.of(lead, actions.findOpenByLead(id).map(LeadQueries::view).orElse(null), deduplicated, history);
	}

	@Transactional(readOnly = true)
	public LeadPage page(LeadFilter filter, int page, int size) {
		List<Lead> content = leads.find(filter, page, size);
		Map<String, NextAction> open = actions.findOpenByLeads(content.stream().map(Lead::id).toList());
		long total = leads.count(filter);
		List<LeadView> views = content.stream()
			.map(lead -> LeadView.of(lead, open.containsKey(lead.id()) ? view(open.get(lead.id())) : null, false, null))
			.toList();
		return new LeadPage(views, page, size, total, (int) ((total + size - 1) / size));
	}

	static NextActionView view(NextAction action) {
		return new NextActionView(action.id(), action.type().name(), action.dueAt(), action.assignee(),
				action.candidateGroup(), action.content(), action.note());
	}

	/** A page of leads. */
	public record LeadPage(List<LeadView> content, int page, int size, long totalElements, int totalPages) {
	}

}
