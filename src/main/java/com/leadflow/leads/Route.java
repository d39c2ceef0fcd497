package com.leadflow.leads;

/** The four routes a lead can be worked on. */
public enum Route {

	NURTURE, UPSELL, RECYCLE, OUTBOUND

}
