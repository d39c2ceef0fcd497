package com.leadflow.leads.imports;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.leadflow.common.Clock;
import com.leadflow.common.Ids;
import com.leadflow.common.NotFoundException;
import com.leadflow.leads.imports.ImportRepository.NewRow;
import com.leadflow.leads.imports.ImportRepository.RowError;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepts an upload: the file is checked as a whole first (header, limits, encoding), then stored
 * with all its rows in one transaction, so an import exists completely or not at all. The leads
 * are created later by the {@link ImportWorker}.
 */
@Service
class ImportService {

	private static final int BATCH = 500;

	private final ImportRepository imports;

	private final LeadRows rows;

	private final ImportProperties properties;

	private final TransactionTemplate tx;

	ImportService(ImportRepository imports, LeadRows rows, ImportProperties properties,
			PlatformTransactionManager transactions) {
		this.imports = imports;
		this.rows = rows;
		this.properties = properties;
		this.tx = new TransactionTemplate(transactions);
	}

	/** What {@code GET /api/imports/{id}} answers. */
	record ImportView(String id, ImportStatus status, int total, int processed, int created, int deduplicated,
			int failed, List<RowError> errors, boolean errorsTruncated, Instant createdAt, Instant finishedAt) {
	}

	/**
	 * Stores the file as a RUNNING import and returns its id.
	 * @param contentLength the declared length, or -1
	 * @throws LeadCsv.TooLarge over the byte or row limit
	 */
	String upload(InputStream body, long contentLength, Charset charset, String submittedBy) throws IOException {
		long maxBytes = properties.maxSize().toBytes();
		if (contentLength > maxBytes) {
			throw tooLarge(maxBytes);
		}
		Path file = spool(body, maxBytes);
		try {
			// A first pass without the database: a file that is refused costs no transaction.
			LeadCsv.read(file, charset, properties.maxRows(), row -> {
			});
			return tx.execute(status -> store(file, charset, submittedBy));
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	ImportView view(String id) {
		ImportRepository.Import found = imports.find(id)
			.orElseThrow(() -> new NotFoundException("There is no import with id " + id + "."));
		List<RowError> errors = imports.errors(id, properties.maxErrors() + 1);
		boolean truncated = errors.size() > properties.maxErrors();
		return new ImportView(found.id(), found.status(), found.total(), found.processed(), found.created(),
				found.deduplicated(), found.failed(), truncated ? errors.subList(0, properties.maxErrors()) : errors,
				truncated, found.createdAt(), found.finishedAt());
	}

	/**
	 * Copies the body to a temporary file, counting bytes as they arrive: the upload is refused as
	 * soon as it passes the limit, whatever Content-Length said, and no database connection is held
	 * while a slow client sends.
	 */
	static Path spool(InputStream body, long maxBytes) throws IOException {
		Path file = Files.createTempFile("leadflow-import-", ".csv");
		try (OutputStream out = Files.newOutputStream(file)) {
			byte[] buffer = new byte[1 << 16];
			long total = 0;
			int n;
			while ((n = body.read(buffer)) != -1) {
				total += n;
				if (total > maxBytes) {
					throw tooLarge(maxBytes);
				}
				out.write(buffer, 0, n);
			}
		}
		catch (IOException | RuntimeException ex) {
			Files.deleteIfExists(file);
			throw ex;
		}
		return file;
	}

	private String store(Path file, Charset charset, String submittedBy) {
		String id = Ids.newId();
		imports.insert(id, submittedBy, Clock.now());
		List<NewRow> batch = new ArrayList<>(BATCH);
		try {
			LeadCsv.read(file, charset, properties.maxRows(), row -> {
				batch.add(new NewRow(row.number(), rows.toJson(row.fields()), row.error()));
				if (batch.size() == BATCH) {
					imports.insertRows(id, batch);
					batch.clear();
				}
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (!batch.isEmpty()) {
			imports.insertRows(id, batch);
		}
		imports.updateCounters(id);
		// Every row may have been refused while reading: then there is nothing left to work on.
		imports.finishIfComplete(id, Clock.now());
		return id;
	}

	private static LeadCsv.TooLarge tooLarge(long maxBytes) {
		return new LeadCsv.TooLarge("The file is larger than " + maxBytes + " bytes; split it into several files.");
	}

}
