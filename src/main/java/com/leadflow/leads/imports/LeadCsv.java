package com.leadflow.leads.imports;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import com.leadflow.common.InvalidRequestException;
import com.leadflow.common.InvalidRequestException.FieldError;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads an uploaded lead file: decoding, the header row and the data rows with their numbers.
 * Knows nothing about the database; the rows are checked as leads later, by the worker.
 */
final class LeadCsv {

	/** The columns a file may have: the field names of the lead JSON (API.md). */
	static final List<String> COLUMNS = List.of("externalId", "route", "company", "contactName", "email", "phone",
			"timeZone", "source", "owner", "note", "lossReason");

	static final List<String> REQUIRED = List.of("externalId", "route", "company");

	/**
	 * Values longer than this are cut before they are stored. Every field allows at most 2,000
	 * characters, so a cut value still fails its length check, with the same message.
	 */
	static final int MAX_STORED_VALUE = 4000;

	private static final Map<String, String> BY_LOWER_CASE = new HashMap<>();

	static {
		COLUMNS.forEach(column -> BY_LOWER_CASE.put(column.toLowerCase(Locale.ROOT), column));
	}

	private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
		// A blank line keeps its row number, so numbers match the rows of the spreadsheet.
		.setIgnoreEmptyLines(false)
		.setIgnoreSurroundingSpaces(true)
		.setTrim(true)
		.get();

	private LeadCsv() {
	}

	/**
	 * One data row. {@code number} counts data rows from 1 (the header is not counted, blank rows
	 * are); {@code error} is set when the row cannot be read as a lead at all.
	 */
	record Row(int number, Map<String, String> fields, String error) {
	}

	/** The file exceeds a limit (413). */
	static final class TooLarge extends RuntimeException {

		TooLarge(String message) {
			super(message);
		}

	}

	/**
	 * Reads {@code file}, checks its header and hands every non-blank data row to {@code sink}, in
	 * file order; returns how many it handed over.
	 * @throws InvalidRequestException when the file is empty, has no data rows, a bad header, is not
	 * valid CSV or not in the declared charset
	 * @throws TooLarge when it holds more than {@code maxRows} data rows
	 */
	static int read(Path file, Charset declared, int maxRows, Consumer<Row> sink) throws IOException {
		int number = 0;
		int rows = 0;
		try (Reader reader = open(Files.newInputStream(file), declared); CSVParser parser = FORMAT.parse(reader)) {
			try {
				var records = parser.iterator();
				if (!records.hasNext()) {
					throw invalidBody("the file is empty; the first line must be the header row");
				}
				List<String> header = header(records.next());
				while (records.hasNext()) {
					CSVRecord record = records.next();
					number++;
					if (isBlank(record)) {
						continue;
					}
					if (++rows > maxRows) {
						throw new TooLarge("The file has more than " + maxRows + " data rows; split it into several files.");
					}
					sink.accept(row(number, header, record));
				}
			}
			catch (UncheckedIOException ex) {
				throw unreadable(ex.getCause(), declared, number + 1);
			}
		}
		catch (CharacterCodingException ex) {
			throw unreadable(ex, declared, number + 1);
		}
		if (rows == 0) {
			throw invalidBody("the file has no data rows after the header row");
		}
		return rows;
	}

	/**
	 * A reader that decodes strictly: a file in another encoding than declared is refused instead
	 * of being stored garbled. A UTF-8 byte order mark wins over the declared charset (as in
	 * browsers), since it cannot begin a Shift_JIS file.
	 */
	static Reader open(InputStream raw, Charset declared) throws IOException {
		BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
		in.mark(3);
		byte[] start = in.readNBytes(3);
		Charset charset = declared;
		if (start.length == 3 && start[0] == (byte) 0xEF && start[1] == (byte) 0xBB && start[2] == (byte) 0xBF) {
			charset = StandardCharsets.UTF_8;
		}
		else {
			in.reset();
		}
		return new BufferedReader(new InputStreamReader(in, charset.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
	}

	private static List<String> header(CSVRecord record) {
		if (isBlank(record)) {
			throw invalidBody("the first line must be the header row with the column names");
		}
		List<String> columns = new ArrayList<>();
		List<FieldError> errors = new ArrayList<>();
		for (int i = 0; i < record.size(); i++) {
			String name = record.get(i);
			String column = BY_LOWER_CASE.get(name.toLowerCase(Locale.ROOT));
			if (name.isEmpty()) {
				errors.add(new FieldError("header", "column " + (i + 1) + " has no name"));
			}
			else if (column == null) {
				errors.add(new FieldError(name, "unknown column; the columns are " + String.join(", ", COLUMNS)));
			}
			else if (columns.contains(column)) {
				errors.add(new FieldError(column, "column appears more than once"));
			}
			columns.add(column);
		}
		for (String required : REQUIRED) {
			if (!columns.contains(required)) {
				errors.add(new FieldError(required, "required column is missing"));
			}
		}
		if (!errors.isEmpty()) {
			throw new InvalidRequestException("The header row is invalid: " + String.join("; ",
					errors.stream().map(e -> e.field() + ": " + e.message()).toList()), errors);
		}
		return columns;
	}

	private static Row row(int number, List<String> header, CSVRecord record) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (int i = 0; i < Math.min(record.size(), header.size()); i++) {
			String value = record.get(i);
			if (!value.isEmpty()) {
				fields.put(header.get(i), value.length() > MAX_STORED_VALUE ? value.substring(0, MAX_STORED_VALUE) : value);
			}
		}
		// A row with another number of values is mostly a line break outside quotes: its values
		// would land in the wrong columns, so it is refused rather than guessed at.
		String error = record.size() == header.size() ? null
				: "the row has " + record.size() + " values but the header has " + header.size() + " columns";
		return new Row(number, fields, error);
	}

	private static boolean isBlank(CSVRecord record) {
		for (String value : record) {
			if (!value.isEmpty()) {
				return false;
			}
		}
		return true;
	}

	private static InvalidRequestException unreadable(Throwable cause, Charset declared, int row) {
		if (cause instanceof CharacterCodingException) {
			String hint = declared.equals(StandardCharsets.UTF_8)
					? "; for a Shift_JIS file send Content-Type: text/csv; charset=Shift_JIS"
					: declared.name().equals("Shift_JIS")
							? "; a file saved by Excel on Windows may need charset=Windows-31J (it has more characters)" : "";
			return invalidBody("the file is not valid " + declared.name() + " (near data row " + row + ")" + hint);
		}
		return invalidBody("the file is not valid CSV near data row " + row + ": "
				+ (cause == null ? "unreadable" : cause.getMessage()));
	}

	/** A 400 about the file as a whole, in the shape of every other invalid input (field "body"). */
	private static InvalidRequestException invalidBody(String message) {
		return new InvalidRequestException(Character.toUpperCase(message.charAt(0)) + message.substring(1) + ".",
				List.of(new FieldError("body", message)));
	}

}
