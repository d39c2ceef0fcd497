package com.leadflow.security;

import static com.leadflow.security.Groups.authority;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.web.PathPatternRequestMatcherBuilderFactoryBean;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Who may call what. The API and the engine REST API take HTTP Basic against the Camunda identity
 * service and keep no session; the Camunda webapps under /camunda use their own login; pages use
 * a login form.
 */
@Configuration
class SecurityConfig {

	private static final String MARKETING = authority(Groups.MARKETING);

	private static final String REPS = authority(Groups.REPS);

	private static final String SALES = authority(Groups.SALES);

	private static final String MANAGERS = authority(Groups.MANAGERS);

	private static final String ADMINS = authority(Groups.ADMINS);

	/**
	 * Pages load scripts from the application only (no inline script, so injected markup cannot
	 * run); inline styles are allowed because the BPMN viewer draws with them.
	 */
	static final String PAGES_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
			+ "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
			+ "form-action 'self'; frame-ancestors 'none'";

	/**
	 * URL patterns match the path inside the application whichever servlet serves it. With the
	 * default MVC matchers, /engine-rest/** (served by Jersey's servlet, not Spring MVC) matched
	 * no rule of the API chain and every engine REST call was redirected to the login page.
	 */
	@Bean
	static PathPatternRequestMatcherBuilderFactoryBean requestMatcherBuilder() {
		return new PathPatternRequestMatcherBuilderFactoryBean();
	}

	@Bean
	AuthenticationManager authenticationManager(IdentityServiceAuthenticationProvider provider) {
		return new ProviderManager(provider);
	}

	@Bean
	@Order(1)
	SecurityFilterChain camundaWebapps(HttpSecurity http) throws Exception {
		// Cockpit, Tasklist and Admin authenticate against the same identity service themselves
		// and bring their own CSRF protection.
		http.securityMatcher("/camunda/**")
			.authorizeHttpRequests(auth -> auth
				// Camunda Admin's first-run setup lets anyone create the first administrator while the
				// camunda-admin group has no member. Administrators come from configuration
				// (camunda.bpm.admin-user, checked by AdminPasswordCheck) or the demo profile, never a web form.
				.requestMatchers("/camunda/api/admin/setup/**", "/camunda/app/admin/*/setup/**").denyAll()
				.anyRequest().permitAll())
			.csrf(csrf -> csrf.disable())
			.headers(headers -> headers.frameOptions(frame -> frame.sameOrigin()));
		return http.build();
	}

	/**
	 * The OpenAPI document: HTTP Basic for scripts and tools, and the page session for the Swagger UI
	 * (served as a page after the login form), which fetches it with the session cookie and would
	 * otherwise make the browser ask for the password a second time. Creates no session itself.
	 */
	@Bean
	@Order(2)
	SecurityFilterChain apiDocs(HttpSecurity http, AuthenticationManager authenticationManager, ObjectMapper json)
			throws Exception {
		ProblemAuthenticationHandlers problems = new ProblemAuthenticationHandlers(json);
		http.securityMatcher("/v3/api-docs", "/v3/api-docs/**")
			.authenticationManager(authenticationManager)
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.NEVER))
			.csrf(csrf -> csrf.disable())
			.httpBasic(basic -> basic.authenticationEntryPoint(problems))
			.exceptionHandling(ex -> ex.authenticationEntryPoint(problems).accessDeniedHandler(problems))
			.authorizeHttpRequests(auth -> auth.anyRequest().authenticated());
		return http.build();
	}

	@Bean
	@Order(3)
	SecurityFilterChain api(HttpSecurity http, AuthenticationManager authenticationManager, ObjectMapper json)
			throws Exception {
		ProblemAuthenticationHandlers problems = new ProblemAuthenticationHandlers(json);
		http.securityMatcher("/api/**", "/engine-rest/**", "/actuator/**")
			.authenticationManager(authenticationManager)
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(csrf -> csrf.disable())
			.httpBasic(basic -> basic.authenticationEntryPoint(problems))
			.exceptionHandling(ex -> ex.authenticationEntryPoint(problems).accessDeniedHandler(problems))
			.authorizeHttpRequests(auth -> auth
				.requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
				.requestMatchers("/actuator/**").hasAnyAuthority(MANAGERS, ADMINS)
				.requestMatchers("/engine-rest/**").hasAuthority(ADMINS)
				.requestMatchers(HttpMethod.POST, "/api/leads", "/api/leads/import").hasAnyAuthority(MARKETING, MANAGERS)
				.requestMatchers(HttpMethod.GET, "/api/imports/**").hasAnyAuthority(MARKETING, MANAGERS)
				.requestMatchers(HttpMethod.POST, "/api/leads/*/events").hasAnyAuthority(SALES, MANAGERS)
				.requestMatchers(HttpMethod.GET, "/api/leads", "/api/leads/**").hasAnyAuthority(MARKETING, REPS, SALES, MANAGERS)
				.requestMatchers("/api/inbox", "/api/next-actions/**").hasAnyAuthority(REPS, SALES, MANAGERS)
				.requestMatchers("/api/audit/**", "/api/audit").hasAuthority(MANAGERS)
				.requestMatchers("/api/kpis", "/api/kpis/**").hasAnyAuthority(REPS, MANAGERS)
				.requestMatchers(HttpMethod.PUT, "/api/kpi-targets").hasAuthority(MANAGERS)
				.requestMatchers(HttpMethod.POST, "/api/kpi-reviews").hasAuthority(MANAGERS)
				.requestMatchers(HttpMethod.GET, "/api/kpi-targets", "/api/kpi-reviews").hasAnyAuthority(REPS, MANAGERS)
				.requestMatchers("/api/mail/**").hasAuthority(MANAGERS)
				.anyRequest().authenticated());
		return http.build();
	}

	@Bean
	@Order(4)
	SecurityFilterChain pages(HttpSecurity http, AuthenticationManager authenticationManager) throws Exception {
		http.authenticationManager(authenticationManager)
			.authorizeHttpRequests(auth -> auth
				.requestMatchers("/login", "/error", "/webjars/**", "/css/**", "/js/**", "/img/**", "/favicon.ico").permitAll()
				// The unsubscribe link of a lead's mail: the lead has no login; the link's signature is the check.
				.requestMatchers("/unsubscribe").permitAll()
				.requestMatchers("/dashboard/**").hasAnyAuthority(MANAGERS, REPS)
				.requestMatchers("/audit/**").hasAuthority(MANAGERS)
				.requestMatchers("/inbox", "/inbox/**", "/actions/**").hasAnyAuthority(REPS, SALES, MANAGERS)
				.requestMatchers("/leads/**").hasAnyAuthority(MARKETING, REPS, SALES, MANAGERS)
				.requestMatchers("/intake", "/intake/**").hasAnyAuthority(MARKETING, MANAGERS)
				.anyRequest().authenticated())
			// Session and CSRF token as Spring Security keeps them by default; logout is a POST with the token.
			.formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false).failureHandler(new LoginFailureHandler()).permitAll())
			.logout(logout -> logout.logoutSuccessUrl("/login?logout").deleteCookies("JSESSIONID"))
			// RFC 8058 one-click unsubscribe posts come from mail providers, without a session or token.
			.csrf(csrf -> csrf.ignoringRequestMatchers(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/unsubscribe")))
			.headers(headers -> headers
				.contentSecurityPolicy(csp -> csp.policyDirectives(PAGES_CSP))
				.referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
				.permissionsPolicyHeader(permissions -> permissions.policy("camera=(), microphone=(), geolocation=()")));
		return http.build();
	}

}
