package com.leadflow.bench;

import java.io.BufferedWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Child JVM of the benchmark (started with {@code -Xmx512m}): runs Leadflow, uploads one CSV file of
 * {@code rows} leads through {@code POST /api/leads/import} and follows {@code GET /api/imports/{id}}
 * until the import is DONE or {@code seconds} have passed, while recording the heap: the highest heap
 * in use (sampled every 20 ms, garbage included) and the highest heap left after a collection (the
 * live set). Prints one {@code HEAP ...} line for the parent.
 */
public final class ImportHeapProbe {

	public static void main(String[] args) throws Exception {
		TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
		String jdbcUrl = args[0];
		String user = args[1];
		String password = args.length > 4 ? args[4] : "";
		int rows = Integer.parseInt(args[2]);
		int seconds = Integer.parseInt(args[3]);
		AtomicLong peakUsed = new AtomicLong();
		AtomicLong peakAfterGc = new AtomicLong();
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
				if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
					return;
				}
				GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
					.from((CompositeData) notification.getUserData());
				long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
				// Only pools of the heap count (metaspace and code cache are not heap).
				long heapAfter = info.getGcInfo()
					.getMemoryUsageAfterGc()
					.entrySet()
					.stream()
					.filter(e -> e.getKey().contains("G1") || e.getKey().contains("Eden") || e.getKey().contains("Survivor")
							|| e.getKey().contains("Old") || e.getKey().contains("Tenured"))
					.mapToLong(e -> e.getValue().getUsed())
					.sum();
				peakAfterGc.accumulateAndGet(heapAfter > 0 ? heapAfter : after, Math::max);
			}, null, null);
		}
		Thread sampler = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				peakUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
				try {
					Thread.sleep(20);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "heap-sampler");
		sampler.setDaemon(true);
		sampler.start();

		long maxHeap = Runtime.getRuntime().maxMemory();
		String status = "NOT_STARTED";
		int processed = 0;
		long uploadMs = 0;
		long elapsedMs = 0;
		String error = "";
		try (LeadflowApp app = LeadflowApp.start(jdbcUrl, user, password, 20)) {
			Benchmark.createTeam(app, 50);
			// Measured from here: the application has started; the file is on disk, not in this heap.
			peakUsed.set(0);
			peakAfterGc.set(0);
			System.gc();
			Path csv = Files.createTempFile("leadflow-bench-heap-", ".csv");
			try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
				out.write(LeadData.CSV_HEADER);
				out.write("\n");
				for (int i = 0; i < rows; i++) {
					out.write(LeadData.csvRow("heap", i));
					out.write("\n");
				}
			}
			Http http = new Http(app.port, 2);
			long t0 = System.nanoTime();
			String body = Http.check(http.postCsv("/api/leads/import", "marketing", csv), 202).body();
			uploadMs = (System.nanoTime() - t0) / 1_000_000;
			Files.deleteIfExists(csv);
			Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
			m.find();
			String id = m.group(1);
			long deadline = t0 + seconds * 1_000_000_000L;
			while (true) {
				String view = Http.check(http.get("/api/imports/" + id, "marketing"), 200).body();
				status = Benchmark.field(view, "status");
				processed = Integer.parseInt(Benchmark.field(view, "processed"));
				if (!"RUNNING".equals(status) || System.nanoTime() > deadline) {
					break;
				}
				Thread.sleep(500);
			}
			elapsedMs = (System.nanoTime() - t0) / 1_000_000;
		}
		catch (Throwable ex) {
			error = ex.getClass().getSimpleName() + ": " + String.valueOf(ex.getMessage()).replace('\n', ' ');
			if (ex instanceof OutOfMemoryError || ex.getCause() instanceof OutOfMemoryError) {
				status = "OUT_OF_MEMORY";
			}
		}
		System.out.println("HEAP maxHeap=" + maxHeap + " peakUsed=" + peakUsed.get() + " peakLive=" + peakAfterGc.get()
				+ " rows=" + rows + " processed=" + processed + " status=" + status + " uploadMs=" + uploadMs
				+ " elapsedMs=" + elapsedMs + " error=" + error);
		System.out.flush();
		System.exit(0);
	}

}
