package com.leadflow.web.pages;

import com.leadflow.actions.NextAction;
import com.leadflow.common.ForbiddenException;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadStatus;
import com.leadflow.security.CurrentUser;
import com.leadflow.security.Groups;

/**
 * Who may see and work a lead on the pages: the same rules as GET /api/leads/{id} and
 * POST /api/next-actions/{id}/complete, so a page never shows more than the API would.
 */
public final class LeadAccess {

	private LeadAccess() {
	}

	public static boolean mayRead(Lead lead, CurrentUser user) {
		if (user.isManager() || user.isIn(Groups.MARKETING)) {
			return true;
		}
		if (user.isIn(Groups.REPS) && user.id().equals(lead.owner())) {
			return true;
		}
		return user.isIn(Groups.SALES)
				&& (lead.status() == LeadStatus.HANDED_OFF || lead.status() == LeadStatus.OPPORTUNITY);
	}

	public static void checkMayRead(Lead lead, CurrentUser user) {
		if (!mayRead(lead, user)) {
			throw new ForbiddenException("This lead belongs to someone else.");
		}
	}

	/** Whether the user may record the outcome of this open action (NextActionService decides for real). */
	public static boolean mayComplete(NextAction action, CurrentUser user) {
		if (action == null || !action.isOpen()) {
			return false;
		}
		if (user.isManager() || user.id().equals(action.assignee())) {
			return true;
		}
		return action.assignee() == null && action.candidateGroup() != null && user.isIn(action.candidateGroup());
	}

}
