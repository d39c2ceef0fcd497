package com.leadflow.actions;

/** OPEN until done (completed by a person or sent automatically) or cancelled (route moved, lead closed). */
public enum ActionStatus {

	OPEN, DONE, CANCELLED

}
