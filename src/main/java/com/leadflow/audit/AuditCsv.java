package com.leadflow.audit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The audit lists as CSV downloads (the API's {@code format=csv} and the page's export links):
 * UTF-8 with a byte-order mark so spreadsheet programs read Japanese names correctly, and no cell
 * a spreadsheet would run as a formula.
 */
final class AuditCsv {

	static final int MAX_ROWS = 100_000;

	static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

	/** A leading = + - @ (or tab, CR) makes a spreadsheet read the cell as a formula. */
	private static final String FORMULA_START = "=+-@\t\r";

	private AuditCsv() {
	}

	static ResponseEntity<byte[]> findings(List<Finding> findings) {
		return response("no-next-action", rows(findings, List.of("leadId", "company", "owner", "status", "route", "reason",
				"detail"), f -> List.of(f.leadId(), f.company(), f.owner(), f.status(), f.route(), f.reason().name(),
						String.valueOf(f.detail()))));
	}

	static ResponseEntity<byte[]> overdue(List<AuditRepository.Overdue> overdue, Instant now) {
		return response("overdue", rows(overdue, List.of("actionId", "leadId", "company", "owner", "route", "type", "dueAt",
				"overdueHours", "assignee"), o -> List.of(o.actionId(), o.leadId(), o.company(), o.owner(), o.route(),
						o.type(), String.valueOf(o.dueAt()), String.valueOf(Duration.between(o.dueAt(), now).toHours()),
						String.valueOf(o.assignee()))));
	}

	static ResponseEntity<byte[]> leads(String name, List<AuditRepository.Untouched> leads) {
		return response(name, rows(leads, List.of("leadId", "company", "owner", "route", "status", "lastTouchAt",
				"createdAt"), u -> List.of(u.leadId(), u.company(), u.owner(), u.route(), u.status(),
						String.valueOf(u.lastTouchAt()), String.valueOf(u.createdAt()))));
	}

	static ResponseEntity<byte[]> incidents(List<AuditRepository.Incident> incidents) {
		return response("incidents", rows(incidents, List.of("incidentId", "leadId", "company", "owner", "activityId",
				"message", "jobId", "createdAt"), i -> List.of(i.incidentId(), String.valueOf(i.leadId()),
						String.valueOf(i.company()), String.valueOf(i.owner()), String.valueOf(i.activityId()),
						String.valueOf(i.message()), String.valueOf(i.jobId()), String.valueOf(i.createdAt()))));
	}

	private static <T> List<List<String>> rows(List<T> items, List<String> header, Function<T, List<String>> row) {
		List<List<String>> rows = new ArrayList<>();
		rows.add(header);
		items.forEach(item -> rows.add(row.apply(item)));
		return rows;
	}

	private static ResponseEntity<byte[]> response(String name, List<List<String>> rows) {
		return ResponseEntity.ok()
			.contentType(TEXT_CSV)
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit-" + name + ".csv\"")
			.body(write(rows));
	}

	static byte[] write(List<List<String>> rows) {
		StringBuilder out = new StringBuilder("\uFEFF");
		for (List<String> row : rows) {
			for (int i = 0; i < row.size(); i++) {
				if (i > 0) {
					out.append(',');
				}
				out.append(escape(row.get(i)));
			}
			out.append("\r\n");
		}
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

	static String escape(String value) {
		if (value == null || value.isEmpty() || value.equals("null")) {
			return "";
		}
		// Neutralised whatever follows, a multi-line value too.
		String safe = FORMULA_START.indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
		if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
			return "\"" + safe.replace("\"", "\"\"") + "\"";
		}
		return safe;
	}

}
