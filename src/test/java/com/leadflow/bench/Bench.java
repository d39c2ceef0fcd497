package com.leadflow.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Small helpers shared by the benchmark's parts. */
final class Bench {

	private Bench() {
	}

	interface Work {

		void run() throws Exception;

	}

	/** Runs {@code work} on {@code threads} threads at once; returns the wall time in nanoseconds. */
	static long parallel(int threads, Work work) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			long t0 = System.nanoTime();
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				futures.add(pool.submit(() -> {
					work.run();
					return null;
				}));
			}
			for (Future<?> f : futures) {
				f.get();
			}
			return System.nanoTime() - t0;
		}
		finally {
			pool.shutdownNow();
		}
	}

	static double perSecond(long count, long nanos) {
		return nanos <= 0 ? 0 : count * 1e9 / nanos;
	}

	/** Median and 95th percentile of latencies in nanoseconds, as milliseconds. */
	record Latency(double median, double p95, int samples) {

		static Latency of(long[] nanos) {
			long[] sorted = nanos.clone();
			Arrays.sort(sorted);
			int n = sorted.length;
			double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
			double p95 = sorted[Math.max(0, (int) Math.ceil(0.95 * n) - 1)];
			return new Latency(median / 1e6, p95 / 1e6, n);
		}

	}

	/** A logged statement with its literals replaced ('…' → ?, numbers → N) and its white space folded. */
	static String normalizedSql(String sql) {
		return sql.replaceAll("'(?:[^'\\\\]|\\\\.)*'", "?").replaceAll("\\b\\d+\\b", "N").replaceAll("\\s+", " ");
	}

	/** The statement as it is when at most {@code max} characters long, else its start and end around " … ". */
	static String abbreviatedSql(String sql, int max) {
		int keep = (max - 3) / 2;
		return sql.length() <= max ? sql : sql.substring(0, keep) + " … " + sql.substring(sql.length() - keep);
	}

	/** Always with seconds: {@code LocalTime.toString()} leaves ":00" out. */
	private static final java.time.format.DateTimeFormatter LOG_TIME = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");

	static void log(String message) {
		System.out.println("[bench " + LOG_TIME.format(java.time.LocalTime.now()) + "] " + message);
		System.out.flush();
	}

	static int intProp(String name, int fallback) {
		String v = System.getProperty(name);
		return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim().replace("_", ""));
	}

	static String prop(String name, String fallback) {
		String v = System.getProperty(name);
		return v == null || v.isBlank() ? fallback : v.trim();
	}

}
