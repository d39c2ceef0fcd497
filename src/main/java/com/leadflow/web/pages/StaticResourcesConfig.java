package com.leadflow.web.pages;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

/**
 * Links in pages are written as they are: Spring Boot's {@link ResourceUrlEncodingFilter}, which it
 * registers whenever a webjars locator is on the class path, stays off.
 *
 * <p>That filter passes every URL a page writes (each form action and link of every inbox row)
 * through the static resource chain, to rewrite links to versioned static files. A URL that is no
 * static file (all of a row's) is looked for on every request in each static location of the class
 * path, in every jar, and the chain remembers only the hits: about 90 % of the inbox page's CPU time,
 * some 200 ms for a full inbox on the benchmark machine. Leadflow uses no versioned URLs: pages link
 * webjars without their version ({@code /webjars/htmx.org/dist/htmx.min.js}), which the resource
 * chain's webjars resolver finds when the file is requested.
 */
@Configuration
class StaticResourcesConfig {

	@Bean
	FilterRegistrationBean<ResourceUrlEncodingFilter> resourceUrlEncodingFilter() {
		FilterRegistrationBean<ResourceUrlEncodingFilter> registration = new FilterRegistrationBean<>(
				new ResourceUrlEncodingFilter());
		registration.setEnabled(false);
		return registration;
	}

}
