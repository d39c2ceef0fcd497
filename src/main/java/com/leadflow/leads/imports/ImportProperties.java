package com.leadflow.leads.imports;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the bulk CSV import ({@code leadflow.import.*}).
 *
 * @param workerEnabled whether this node polls for imports to work on in the background
 * @param pollInterval pause between two polls of a worker thread that found nothing (more) to do
 * @param workerThreads how many imports this node works on at the same time
 * @param chunkSize rows worked between two heartbeats and counter updates
 * @param staleAfter how long a claim survives without a heartbeat before another node (or this one after a restart)
 * takes the import over
 * @param maxRows data rows one file may hold
 * @param maxSize bytes one file may have
 * @param maxErrors row errors listed by {@code GET /api/imports/{id}}; more are counted, not listed
 */
@ConfigurationProperties("leadflow.import")
record ImportProperties(@DefaultValue("true") boolean workerEnabled, @DefaultValue("2s") Duration pollInterval,
		@DefaultValue("2") int workerThreads, @DefaultValue("200") int chunkSize, @DefaultValue("60s") Duration staleAfter,
		@DefaultValue("100000") int maxRows, @DefaultValue("50MB") DataSize maxSize, @DefaultValue("1000") int maxErrors) {

}
