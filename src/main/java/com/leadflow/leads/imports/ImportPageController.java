package com.leadflow.leads.imports;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import com.leadflow.leads.imports.ImportService.ImportView;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The CSV import for the intake page: the same {@link ImportService} as the API, under the pages'
 * session login and CSRF protection (page scripts never call /api/**, which takes HTTP Basic only).
 * The browser sends the file as the request body, so no multipart size limit applies.
 */
@RestController
class ImportPageController {

	/** The encodings the intake page offers; anything else is refused before reading. */
	private static final Set<String> CHARSETS = Set.of(StandardCharsets.UTF_8.name(), "windows-31j", "Shift_JIS");

	private final ImportService imports;

	ImportPageController(ImportService imports) {
		this.imports = imports;
	}

	record Accepted(String id) {
	}

	@PostMapping("/intake/imports")
	ResponseEntity<Accepted> upload(@RequestParam(defaultValue = "UTF-8") String charset, HttpServletRequest request,
			Authentication authentication) throws IOException {
		if (!CHARSETS.contains(charset)) {
			return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).build();
		}
		String id = imports.upload(request.getInputStream(), request.getContentLengthLong(), Charset.forName(charset),
				authentication.getName());
		return ResponseEntity.accepted().location(URI.create("/intake/imports/" + id)).body(new Accepted(id));
	}

	@GetMapping("/intake/imports/{id}")
	ImportView status(@PathVariable String id) {
		return imports.view(id);
	}

	@ExceptionHandler(LeadCsv.TooLarge.class)
	ResponseEntity<ProblemDetail> tooLarge(LeadCsv.TooLarge ex) {
		return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE, ex.getMessage()));
	}

}
