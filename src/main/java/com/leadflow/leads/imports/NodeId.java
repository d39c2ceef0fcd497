package com.leadflow.leads.imports;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * This process among the Leadflow nodes sharing one database: host name, process id and a random
 * part, so a restarted process (same host, maybe the same pid in a container) is a new node and
 * never mistakes its predecessor's claims for its own.
 */
record NodeId(String value) {

	static NodeId ofThisProcess() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = System.getenv().getOrDefault("HOSTNAME", "unknown-host");
		}
		if (host.length() > 80) {
			host = host.substring(0, 80);
		}
		return new NodeId(host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8));
	}

	@Override
	public String toString() {
		return value;
	}

}
