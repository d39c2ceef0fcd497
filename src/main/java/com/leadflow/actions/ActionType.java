package com.leadflow.actions;

/** What a next action is. CONTENT is a template email sent automatically on its due date. */
public enum ActionType {

	CALL, EMAIL, CONTENT, MEETING

}
