package com.leadflow.common;

/** The request conflicts with the current state, e.g. an action already completed (409). */
public class ConflictException extends RuntimeException {

	public ConflictException(String message) {
		super(message);
	}

}
