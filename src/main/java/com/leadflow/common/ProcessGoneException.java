package com.leadflow.common;

/**
 * An open action the engine no longer waits for: its process was deleted or moved outside
 * Leadflow (Cockpit, the engine's REST API). A 409 like any conflict; pages say what to do.
 */
public class ProcessGoneException extends ConflictException {

	public ProcessGoneException(String message, Throwable cause) {
		super(message);
		initCause(cause);
	}

}
