package com.leadflow.common;

/**
 * An open action whose process is suspended in the engine (Cockpit, the engine's REST API): it
 * cannot be completed until a Camunda administrator activates the process again. A 409.
 */
public class ProcessSuspendedException extends ConflictException {

	public ProcessSuspendedException(String message, Throwable cause) {
		super(message);
		initCause(cause);
	}

}
