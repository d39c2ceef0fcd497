package com.leadflow.web.pages;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

	/** The page's path with its query (less {@code lang}), encoded: the language switch keeps the user's view. */
	static final String CURRENT_LINK = "currentLink";

	@Override
	public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler,
			ModelAndView mav) {
		if (mav == null || (mav.getViewName() != null && mav.getViewName().startsWith("redirect:"))) {
			return;
		}
		// After a POST the page shown is a re-rendered form; switching language there reloads the inbox.
		String path = request.getRequestURI().substring(request.getContextPath().length());
		String link = path;
		if (!HttpMethod.GET.matches(request.getMethod()) || path.startsWith("/error")) {
			path = "/";
			link = "/";
		}
		else {
			// A GET's parameters are its query string (re-encoded here, never copied as sent).
			Map<String, List<String>> query = new LinkedHashMap<>();
			request.getParameterMap().forEach((name, values) -> query.put(name, Arrays.asList(values)));
			link = PageLinks.to(path, query, List.of("lang"), "lang", null, null);
		}
		mav.getModel().putIfAbsent(CURRENT_PATH, path);
		mav.getModel().putIfAbsent(CURRENT_LINK, link);
	}

}
