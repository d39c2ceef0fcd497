package com.leadflow.web.pages;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;

/**
 * Gives every rendered page the path the layout needs (active navigation link, language
 * switcher). An interceptor rather than a model attribute of a controller advice, so the pages of
 * other features get it too and the JSON API pays nothing.
 */
class PageModelInterceptor implements HandlerInterceptor {

	static final String CURRENT_PATH = "currentPath";

	@Override
	public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler,
			ModelAndView mav) {
		if (mav == null || (mav.getViewName() != null && mav.getViewName().startsWith("redirect:"))) {
			return;
		}
		// After a POST the page shown is a re-rendered form; switching language there reloads the inbox.
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (!HttpMethod.GET.matches(request.getMethod()) || path.startsWith("/error")) {
			path = "/";
		}
		mav.getModel().putIfAbsent(CURRENT_PATH, path);
	}

}
