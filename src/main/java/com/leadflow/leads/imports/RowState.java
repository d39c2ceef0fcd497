package com.leadflow.leads.imports;

/** Where one row of an import stands; DONE and FAILED are final. */
enum RowState {

	PENDING, DONE, FAILED

}
