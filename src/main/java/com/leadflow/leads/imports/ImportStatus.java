package com.leadflow.leads.imports;

/**
 * RUNNING until no row is left to work on, then DONE. FAILED when the import could not go on for a
 * reason that is not about one row (a row that cannot even be marked as failed), so the workers stop
 * retrying it; the server log says why.
 */
enum ImportStatus {

	RUNNING, DONE, FAILED

}
