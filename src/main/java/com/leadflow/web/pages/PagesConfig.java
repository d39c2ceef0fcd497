package com.leadflow.web.pages;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * The pages speak Japanese and English: the browser's Accept-Language decides until the user
 * picks a language with {@code ?lang=ja|en}, which a cookie keeps for a year.
 */
@Configuration
class PagesConfig implements WebMvcConfigurer {

	static final List<Locale> SUPPORTED = List.of(Locale.JAPANESE, Locale.ENGLISH);

	static final String LANG_COOKIE = "leadflow-lang";

	/** Paths that are not pages: a {@code lang} parameter there means nothing to us. */
	private static final String[] NOT_PAGES = { "/api/**", "/engine-rest/**", "/actuator/**", "/camunda/**",
			"/v3/api-docs/**", "/swagger-ui/**", "/webjars/**", "/css/**", "/js/**" };

	@Bean
	LocaleResolver localeResolver() {
		CookieLocaleResolver resolver = new CookieLocaleResolver(LANG_COOKIE);
		resolver.setCookieMaxAge(Duration.ofDays(365));
		resolver.setCookieSameSite("Lax");
		// Without a cookie: the browser's preferred language among those we speak, else English.
		resolver.setDefaultLocaleFunction(PagesConfig::fromAcceptLanguage);
		return resolver;
	}

	static Locale fromAcceptLanguage(HttpServletRequest request) {
		if (request.getHeader("Accept-Language") == null) {
			return Locale.ENGLISH;
		}
		for (Locale wanted : java.util.Collections.list(request.getLocales())) {
			for (Locale supported : SUPPORTED) {
				if (supported.getLanguage().equals(wanted.getLanguage())) {
					return supported;
				}
			}
		}
		return Locale.ENGLISH;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		LocaleChangeInterceptor change = new LocaleChangeInterceptor();
		change.setParamName("lang");
		change.setIgnoreInvalidLocale(true);
		registry.addInterceptor(change).excludePathPatterns(NOT_PAGES);
		registry.addInterceptor(new PageModelInterceptor()).excludePathPatterns(NOT_PAGES);
	}

}
