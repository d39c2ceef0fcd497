package com.leadflow.leads;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A lead handed in by marketing (API.md, POST /api/leads). */
public record LeadIntakeRequest(
		@NotBlank @Size(max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String externalId,
		@NotNull Route route,
		@NotBlank @Size(max = 200) String company,
		@Size(max = 100) String contactName,
		@Size(max = 254) @Email(regexp = "\\s*|[^@\\s]+@[^@\\s]+\\.[^@\\s]+", message = "must be a well-formed email address") String email,
		@Size(max = 40) @Pattern(regexp = "[0-9+()\\-. ]*", message = "may contain digits, spaces and + ( ) - . only") String phone,
		@Size(max = 64) String timeZone,
		@Size(max = 50) String source,
		@Size(max = 64) String owner,
		@Size(max = 2000) String note,
		LossReason lossReason) {

}
