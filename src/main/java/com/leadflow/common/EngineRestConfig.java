package com.leadflow.common;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.ws.rs.ApplicationPath;
import org.camunda.bpm.engine.rest.exception.ExceptionHandler;
import org.camunda.bpm.engine.rest.exception.ProcessEngineExceptionHandler;
import org.camunda.bpm.engine.rest.exception.RestExceptionHandler;
import org.camunda.bpm.engine.rest.impl.CamundaRestResources;
import org.camunda.bpm.spring.boot.starter.rest.CamundaJerseyResourceConfig;
import org.glassfish.jersey.jackson.JacksonFeature;

import org.springframework.stereotype.Component;

/**
 * The Jersey application of Camunda's engine REST API ({@code /engine-rest}): what the REST
 * starter registers (it backs off for this bean), except that {@link EngineRestExceptionMapper}
 * takes the place of Camunda's three generic exception mappers, so a database outage answers 503
 * with {@code Retry-After} there too. Camunda's mappers are left out rather than outranked: for an
 * exception type two mappers match equally well, which one Jersey takes is not worth relying on.
 */
@Component
@ApplicationPath("/engine-rest")
public class EngineRestConfig extends CamundaJerseyResourceConfig {

	/** Camunda's mappers {@link EngineRestExceptionMapper} replaces (and delegates to). */
	static final Set<Class<?>> REPLACED_MAPPERS = Set.of(ProcessEngineExceptionHandler.class, RestExceptionHandler.class,
			ExceptionHandler.class);

	@Override
	protected void registerCamundaRestResources() {
		// As CamundaJerseyResourceConfig does, without the replaced mappers.
		registerClasses(CamundaRestResources.getResourceClasses());
		Set<Class<?>> configuration = new LinkedHashSet<>(CamundaRestResources.getConfigurationClasses());
		if (!configuration.containsAll(REPLACED_MAPPERS)) {
			// A Camunda upgrade changed its mappers: without this check two mappers would compete for the same types.
			throw new IllegalStateException("Camunda's REST configuration classes no longer contain " + REPLACED_MAPPERS
					+ " (they are " + configuration + "); review EngineRestConfig and EngineRestExceptionMapper");
		}
		configuration.removeAll(REPLACED_MAPPERS);
		registerClasses(configuration);
		register(JacksonFeature.class);
		register(EngineRestExceptionMapper.class);
	}

}
