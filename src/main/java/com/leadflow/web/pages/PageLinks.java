package com.leadflow.web.pages;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Links of a page back to itself with some query parameters changed (paging, language), so the
 * others the user had (an {@code assignee}, a period) are kept. Names and values are encoded as a
 * form would send them; the path is the page's own, never taken from a parameter.
 */
public final class PageLinks {

	private PageLinks() {
	}

	/**
	 * {@code path?name=value&...#fragment} with every parameter of {@code query} whose name is not in
	 * {@code without}, in their order, then {@code name=value} when value is not null.
	 */
	public static String to(String path, Map<String, List<String>> query, List<String> without, String name,
			String value, String fragment) {
		StringJoiner params = new StringJoiner("&");
		query.forEach((key, values) -> {
			if (without.contains(key) || key.equals(name)) {
				return;
			}
			for (String v : values) {
				params.add(encode(key) + "=" + encode(v == null ? "" : v));
			}
		});
		if (value != null) {
			params.add(encode(name) + "=" + encode(value));
		}
		String link = params.length() == 0 ? path : path + "?" + params;
		return fragment == null ? link : link + "#" + encode(fragment);
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

}
