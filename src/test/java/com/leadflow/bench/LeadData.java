package com.leadflow.bench;

/** Lead data as marketing hands it in: Japanese company and person names, a mix of routes. */
final class LeadData {

	private LeadData() {
	}

	static final String CSV_HEADER = "externalId,route,company,contactName,email,phone,timeZone,source,lossReason";

	/** 55 % nurture, 20 % outbound, 15 % up-sell, 10 % recycle (with a loss reason). */
	static String route(int i) {
		int r = Math.floorMod(i * 7919, 20);
		return r < 11 ? "NURTURE" : r < 15 ? "OUTBOUND" : r < 18 ? "UPSELL" : "RECYCLE";
	}

	static String json(String batch, int i) {
		String route = route(i);
		return "{\"externalId\":\"bench-" + batch + "-" + i + "\",\"route\":\"" + route
				+ "\",\"company\":\"株式会社ベンチマーク" + i + "\",\"contactName\":\"山田 太郎" + i + "\",\"email\":\"lead" + i + "."
				+ batch + "@bench.example.jp\",\"phone\":\"+81-3-1234-" + String.format("%04d", i % 10000)
				+ "\",\"timeZone\":\"Asia/Tokyo\",\"source\":\"WEB_FORM\""
				+ ("RECYCLE".equals(route) ? ",\"lossReason\":\"PENDING\"" : "") + "}";
	}

	static String csvRow(String batch, int i) {
		String route = route(i);
		return "bench-" + batch + "-" + i + "," + route + ",株式会社ベンチマーク" + i + ",山田 太郎" + i + ",lead" + i + "." + batch
				+ "@bench.example.jp,+81-3-1234-" + String.format("%04d", i % 10000) + ",Asia/Tokyo,EXHIBITION,"
				+ ("RECYCLE".equals(route) ? "PENDING" : "");
	}

}
