package com.leadflow.web.pages;

import com.leadflow.common.ConflictException;
import com.leadflow.common.DatabaseOutage;
import com.leadflow.common.ForbiddenException;
import com.leadflow.common.NotFoundException;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Errors of the page controllers as pages, not as the API's problem JSON (whose advice covers all
 * of com.leadflow, hence the higher precedence and the narrow scope here).
 */
@ControllerAdvice(basePackages = { "com.leadflow.web.pages", "com.leadflow.web.inbox", "com.leadflow.web.lead",
		"com.leadflow.web.outcome", "com.leadflow.web.intake" })
@Order(Ordered.HIGHEST_PRECEDENCE)
class PageExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(PageExceptionHandler.class);

	@ExceptionHandler({ NotFoundException.class, NoResourceFoundException.class })
	ModelAndView notFound(Exception ex) {
		return page(HttpStatus.NOT_FOUND, "error.notFound");
	}

	@ExceptionHandler(ConflictException.class)
	ModelAndView conflict(ConflictException ex) {
		return page(HttpStatus.CONFLICT, "error.conflict");
	}

	@ExceptionHandler(ForbiddenException.class)
	ModelAndView forbidden(ForbiddenException ex) {
		return page(HttpStatus.FORBIDDEN, "error.forbidden");
	}

	@ExceptionHandler(Exception.class)
	ModelAndView unexpected(Exception ex, HttpServletResponse servletResponse) {
		// Spring MVC's own errors (a bad parameter, a wrong method) keep their 4xx status.
		if (ex instanceof ErrorResponse response && response.getStatusCode().is4xxClientError()) {
			return page(response.getStatusCode(), "error.badRequest");
		}
		if (DatabaseOutage.isOutage(ex)) {
			log.warn("Database unavailable on a page, answered 503: {}", ex.toString());
			servletResponse.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS));
			return page(HttpStatus.SERVICE_UNAVAILABLE, "error.unavailable");
		}
		log.error("Unexpected error on a page; the transaction was rolled back", ex);
		return page(HttpStatus.INTERNAL_SERVER_ERROR, "error.unexpected");
	}

	private static ModelAndView page(HttpStatusCode status, String messageKey) {
		ModelAndView mav = new ModelAndView("error");
		mav.setStatus(status);
		mav.addObject("status", status.value());
		mav.addObject("messageKey", messageKey);
		return mav;
	}

}
