package com.leadflow.leads;

/** Why a deal was lost; the recycle rules derive the revisit date from it. */
public enum LossReason {

	PENDING, COMPETITOR, MISMATCH, OTHER,
	/** Not a lost deal: an outbound lead parked after its attempts. */
	PARKED

}
