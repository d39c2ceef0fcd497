package com.leadflow.leads.imports;

/** What the intake did with a DONE row; EXISTING and DEDUPLICATED both count as deduplicated. */
enum RowOutcome {

	/** A new lead with its process. */
	CREATED,
	/** A lead with this externalId existed already (idempotent re-submission). */
	EXISTING,
	/** An active lead with the same email existed; the row was recorded on it as an engagement. */
	DEDUPLICATED

}
