package com.leadflow.leads.imports;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import com.leadflow.leads.imports.ImportService.ImportView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Bulk CSV import of leads (API.md, {@code POST /api/leads/import} and {@code GET /api/imports/{id}}). */
@RestController
class ImportController {

	static final String TEXT_CSV = "text/csv";

	/** Shift_JIS as declared; Windows-31J (MS932) is what Excel on Windows writes and has more characters. */
	private static final Set<String> CHARSETS = Set.of(StandardCharsets.UTF_8.name(), "Shift_JIS", "windows-31j");

	private final ImportService imports;

	ImportController(ImportService imports) {
		this.imports = imports;
	}

	record Accepted(String id) {
	}

	// No "consumes": a request of another type gets its 415 from here, as a problem detail like
	// every other error (the advice does not see requests no handler matched).
	@PostMapping("/api/leads/import")
	@Operation(summary = "Import leads from a CSV file; answers 202 and works on the rows in the background",
			description = "Header row with the lead's JSON field names (any case); UTF-8 with or without BOM, or "
					+ "Shift_JIS / Windows-31J declared as charset. Row numbers in the report count data rows from 1.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(mediaType = TEXT_CSV, schema = @Schema(type = "string", format = "binary"))))
	ResponseEntity<Accepted> upload(HttpServletRequest request, Authentication authentication) throws IOException {
		Charset charset = charset(request.getContentType());
		String id = imports.upload(request.getInputStream(), request.getContentLengthLong(), charset,
				authentication.getName());
		return ResponseEntity.accepted().location(URI.create("/api/imports/" + id)).body(new Accepted(id));
	}

	@GetMapping("/api/imports/{id}")
	ImportView get(@PathVariable String id) {
		return imports.view(id);
	}

	@ExceptionHandler(LeadCsv.TooLarge.class)
	ResponseEntity<ProblemDetail> tooLarge(LeadCsv.TooLarge ex) {
		return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE, ex.getMessage()));
	}

	private static Charset charset(String contentType) {
		MediaType type;
		try {
			type = contentType == null ? null : MediaType.parseMediaType(contentType);
		}
		catch (InvalidMediaTypeException ex) {
			type = null; // an unknown charset name lands here too
		}
		if (type == null || !TEXT_CSV.equals(type.getType() + "/" + type.getSubtype())) {
			throw unsupported("Send the file as Content-Type: text/csv (optionally with charset=Shift_JIS or "
					+ "Windows-31J), not " + contentType + ".");
		}
		Charset declared = type.getCharset();
		if (declared == null) {
			return StandardCharsets.UTF_8;
		}
		if (!CHARSETS.contains(declared.name())) {
			throw unsupported("charset " + declared.name()
					+ " is not supported; send UTF-8 (with or without BOM), Shift_JIS or Windows-31J.");
		}
		return declared;
	}

	private static ErrorResponseException unsupported(String detail) {
		return new ErrorResponseException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
				ProblemDetail.forStatusAndDetail(HttpStatus.UNSUPPORTED_MEDIA_TYPE, detail), null);
	}

}
