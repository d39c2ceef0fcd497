package com.leadflow.leads.imports;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the {@link ImportWorker} in the background: {@code worker-threads} threads, each polling
 * every {@code poll-interval}. The first poll after start picks up imports left RUNNING by a
 * stopped node (released, or stale after {@code stale-after}). On shutdown the threads finish the
 * row at hand and release their imports. Its own small executor, not a shared bean, so it neither
 * replaces Boot's task executor nor turns on {@code @Scheduled} for anyone else.
 */
@Component
class ImportPoller implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ImportPoller.class);

	private final ImportWorker worker;

	private final ImportProperties properties;

	private volatile ScheduledExecutorService executor;

	private volatile boolean stopping;

	ImportPoller(ImportWorker worker, ImportProperties properties) {
		this.worker = worker;
		this.properties = properties;
	}

	@Override
	public synchronized void start() {
		if (!properties.workerEnabled() || executor != null) {
			return;
		}
		stopping = false;
		AtomicInteger threads = new AtomicInteger();
		ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(properties.workerThreads(), task -> {
			Thread thread = new Thread(task, "lead-import-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		long interval = properties.pollInterval().toMillis();
		for (int i = 0; i < properties.workerThreads(); i++) {
			// Staggered, so the threads do not all look for work at the same moment.
			pool.scheduleWithFixedDelay(this::poll, interval + i * interval / properties.workerThreads(), interval,
					TimeUnit.MILLISECONDS);
		}
		executor = pool;
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService pool = executor;
		if (pool == null) {
			return;
		}
		stopping = true;
		pool.shutdown();
		try {
			if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
				log.warn("Import workers did not stop within 30 s; their imports are taken over once stale");
				pool.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		executor = null;
	}

	@Override
	public boolean isRunning() {
		return executor != null;
	}

	private void poll() {
		try {
			worker.runOnce(() -> stopping);
		}
		catch (RuntimeException ex) {
			// Never let an exception end the schedule; the work is retried at the next poll.
			log.warn("Import worker poll failed; retrying in {}", properties.pollInterval(), ex);
		}
	}

}
