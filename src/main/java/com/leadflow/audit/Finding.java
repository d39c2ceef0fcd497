package com.leadflow.audit;

/** A non-terminal lead that does not really have exactly one open next action, and why. */
public record Finding(String leadId, String company, String owner, String status, String route, Reason reason,
		String detail) {

	/** Why a lead is listed, most fundamental first. */
	public enum Reason {

		/** Leadflow holds no open action for the lead. */
		NO_OPEN_ACTION,
		/** The open action's process instance was ended or deleted outside Leadflow (Cockpit, engine REST). */
		PROCESS_ENDED,
		/** The open action's process instance is suspended (Cockpit, engine REST): the action cannot be completed. */
		PROCESS_SUSPENDED,
		/** The open action's user task is gone from the engine. */
		TASK_MISSING,
		/** The automated content step's timer is gone from the engine. */
		TIMER_MISSING,
		/** A job of the lead's process failed and waits in an incident. */
		INCIDENT,
		/** The engine's task and Leadflow's projection disagree (e.g. reassigned in Tasklist). */
		PROJECTION_MISMATCH

	}

}
