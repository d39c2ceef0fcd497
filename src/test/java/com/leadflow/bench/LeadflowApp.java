package com.leadflow.bench;

import java.util.ArrayList;
import java.util.List;

import com.leadflow.LeadflowApplication;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The real Leadflow application (profiles mysql, demo) on a free port, job executor off. */
final class LeadflowApp implements AutoCloseable {

	final ConfigurableApplicationContext context;

	final int port;

	private LeadflowApp(ConfigurableApplicationContext context) {
		this.context = context;
		this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	static List<String> arguments(String jdbcUrl, String user, String password, int poolSize) {
		List<String> args = new ArrayList<>();
		args.add("--spring.profiles.active=mysql,demo");
		args.add("--server.port=0");
		args.add("--spring.datasource.url=" + jdbcUrl);
		args.add("--spring.datasource.username=" + user);
		args.add("--spring.datasource.password=" + password);
		args.add("--spring.datasource.hikari.maximum-pool-size=" + poolSize);
		args.add("--camunda.bpm.job-execution.enabled=false");
		// Benchmark data only: no demo leads (the demo users stay, the benchmark logs in as them).
		args.add("--leadflow.demo-data.enabled=false");
		// The import worker looks for new files every 2 s by default; a shorter poll only trims the wait
		// before the first row, it does not change how rows are worked.
		args.add("--leadflow.import.poll-interval=" + Bench.prop("bench.importPoll", "250ms"));
		// The scheduled full consistency check compares every lead with the engine (about a minute at a million
		// leads): kept out of the latency measurements unless asked for (the queries-only run times one check per size).
		args.add("--leadflow.audit.check-interval=" + Bench.prop("bench.checkInterval", "PT2H"));
		// The test class path registers the process test coverage listeners in every application context
		// (ProcessCoverageTestConfiguration): an execution listener on every BPMN element, about 2.5 % of an
		// intake's CPU. The application as deployed has no such listeners, so the benchmark leaves them out.
		args.add("--spring.autoconfigure.exclude=com.leadflow.testsupport.ProcessCoverageTestConfiguration");
		args.add("--spring.main.banner-mode=off");
		args.add("--logging.level.root=WARN");
		args.add("--logging.level.com.leadflow=WARN");
		return args;
	}

	static LeadflowApp start(String jdbcUrl, String user, String password, int poolSize) {
		SpringApplication app = new SpringApplication(LeadflowApplication.class);
		ConfigurableApplicationContext context = app.run(arguments(jdbcUrl, user, password, poolSize).toArray(String[]::new));
		return new LeadflowApp(context);
	}

	<T> T bean(Class<T> type) {
		return context.getBean(type);
	}

	@Override
	public void close() {
		context.close();
	}

}
