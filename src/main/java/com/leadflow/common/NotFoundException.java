package com.leadflow.common;

/** A resource the caller named does not exist (404). */
public class NotFoundException extends RuntimeException {

	public NotFoundException(String message) {
		super(message);
	}

}
