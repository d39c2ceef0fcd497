package com.leadflow.common;

/** Authenticated, but this user may not touch this resource (403). */
public class ForbiddenException extends RuntimeException {

	public ForbiddenException(String message) {
		super(message);
	}

}
