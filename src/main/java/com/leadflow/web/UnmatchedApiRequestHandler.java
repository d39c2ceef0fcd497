package com.leadflow.web;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;

/**
 * Errors of requests no Leadflow controller took: a path no handler matched, a method not allowed,
 * a library's handler (static resources). Only an advice without a scope sees those, so this one
 * has none and comes last, after the scoped {@link ApiExceptionHandler} and the pages' own advice.
 * Under /api/** it answers with the same problem details as every other API error; any other
 * request (a page) goes on as before, through Spring MVC's resolvers to the HTML error page.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class UnmatchedApiRequestHandler {

	private final ApiExceptionHandler api;

	UnmatchedApiRequestHandler(ApiExceptionHandler api) {
		this.api = api;
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> handle(Exception ex, HttpServletRequest request, WebRequest webRequest) throws Exception {
		if (!isApi(request)) {
			// Rethrowing the same exception hands it to the next resolver, as if no advice had matched.
			throw ex;
		}
		return api.problemFor(ex, webRequest);
	}

	static boolean isApi(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return path.equals("/api") || path.startsWith("/api/");
	}

}
