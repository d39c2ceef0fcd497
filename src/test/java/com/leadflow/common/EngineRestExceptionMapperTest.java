package com.leadflow.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.apache.ibatis.exceptions.PersistenceException;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.rest.dto.ExceptionDto;
import org.camunda.bpm.engine.rest.exception.InvalidRequestException;
import org.camunda.bpm.engine.rest.exception.JsonMappingExceptionHandler;
import org.camunda.bpm.engine.rest.exception.JsonParseExceptionHandler;
import org.camunda.bpm.engine.rest.impl.CamundaRestResources;
import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.junit.jupiter.api.Test;

import org.springframework.context.support.GenericApplicationContext;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * /engine-rest during a database outage: 503 with Retry-After and a problem detail; any other
 * failure as Camunda answers it (status and {@code {type, message}}). First the mapper on its own,
 * then inside the Jersey application {@link EngineRestConfig} builds, where Jersey chooses among
 * the registered mappers. End to end against a stopped database: DatabaseOutageIT.
 */
class EngineRestExceptionMapperTest {

	/** What the engine throws when the pool has no connection for it: MyBatis' exception in Camunda's. */
	static ProcessEngineException outage() {
		return new ProcessEngineException("ENGINE-03004 Exception while executing Database Operation with message 'x'",
				new PersistenceException("### Error querying database. Cause: java.sql.SQLTransientConnectionException",
						new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 5000ms",
								new ConnectException("Connection refused"))));
	}

	final ObjectMapper json = new ObjectMapper();

	final EngineRestExceptionMapper mapper = new EngineRestExceptionMapper();

	// ---------------------------------------------------------------- the mapper

	@Test
	void aLostDatabaseConnectionIs503WithRetryAfterAndAProblemDetail() throws Exception {
		for (Throwable failure : new Throwable[] { outage(),
				// Spring's transaction interceptor of the engine, when it cannot even begin the transaction.
				new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
						new SQLTransientConnectionException("HikariPool-1 - Connection is not available")),
				// A resource that wrapped the engine's failure into a 400 of its own: still the database.
				new InvalidRequestException(Status.BAD_REQUEST, outage(), "Cannot instantiate process definition") }) {
			Response response = mapper.toResponse(failure);
			assertThat(response.getStatus()).as("%s", failure).isEqualTo(503);
			assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
			assertThat(response.getMediaType()).hasToString("application/problem+json");
			JsonNode problem = json.readTree((byte[]) response.getEntity());
			assertThat(problem.get("type").asText()).isEqualTo("about:blank");
			assertThat(problem.get("title").asText()).isEqualTo("Service Unavailable");
			assertThat(problem.get("status").asInt()).isEqualTo(503);
			assertThat(problem.get("detail").asText()).isEqualTo(DatabaseOutage.DETAIL);
			// Outside Jersey there is no request to name.
			assertThat(problem.has("instance")).isFalse();
		}
	}

	@Test
	void everyOtherFailureIsAnsweredAsCamundaAnswersIt() {
		ProcessEngineException engine = new ProcessEngineException("ENGINE-01009 no deployed process definition found", 42);
		Response response = mapper.toResponse(engine);
		assertThat(response.getStatus()).isEqualTo(500);
		assertThat(response.getMediaType()).hasToString("application/json");
		assertThat(response.getHeaderString("Retry-After")).isNull();
		ExceptionDto dto = (ExceptionDto) response.getEntity();
		assertThat(dto.getType()).isEqualTo("ProcessEngineException");
		assertThat(dto.getMessage()).isEqualTo("ENGINE-01009 no deployed process definition found");
		assertThat(dto.getCode()).isEqualTo(42);

		Response invalid = mapper.toResponse(new InvalidRequestException(Status.BAD_REQUEST, "Cannot set variable: no name"));
		assertThat(invalid.getStatus()).isEqualTo(400);
		assertThat(invalid.getMediaType()).hasToString("application/json");
		assertThat(((ExceptionDto) invalid.getEntity()).getType()).isEqualTo("InvalidRequestException");
		assertThat(((ExceptionDto) invalid.getEntity()).getMessage()).isEqualTo("Cannot set variable: no name");

		Response notFound = mapper.toResponse(new InvalidRequestException(Status.NOT_FOUND, "Process instance x does not exist"));
		assertThat(notFound.getStatus()).isEqualTo(404);

		Response forbidden = mapper.toResponse(new AuthorizationException("user", "READ", "ProcessInstance", "x"));
		assertThat(forbidden.getStatus()).isEqualTo(403);

		Response bug = mapper.toResponse(new IllegalStateException("bug"));
		assertThat(bug.getStatus()).isEqualTo(500);
		assertThat(((ExceptionDto) bug.getEntity()).getType()).isEqualTo("IllegalStateException");

		Response jaxrs = mapper.toResponse(new NotFoundException());
		assertThat(jaxrs.getStatus()).isEqualTo(404);
	}

	// ---------------------------------------------------------------- in the Jersey application

	@Test
	void theApplicationRegistersCamundasResourcesAndProvidersWithThisMapperInPlaceOfCamundasGenericOnes() throws Exception {
		EngineRestConfig config = new EngineRestConfig();
		config.afterPropertiesSet();
		Set<Class<?>> classes = config.getClasses();
		assertThat(classes).containsAll(CamundaRestResources.getResourceClasses())
			.contains(EngineRestExceptionMapper.class, JsonMappingExceptionHandler.class, JsonParseExceptionHandler.class)
			.doesNotContainAnyElementsOf(EngineRestConfig.REPLACED_MAPPERS);
		assertThat(CamundaRestResources.getConfigurationClasses()).containsAll(EngineRestConfig.REPLACED_MAPPERS);
		Set<Class<?>> camundasOthers = CamundaRestResources.getConfigurationClasses()
			.stream()
			.filter(c -> !EngineRestConfig.REPLACED_MAPPERS.contains(c))
			.collect(Collectors.toSet());
		assertThat(classes).containsAll(camundasOthers);
		// No other mapper for a general type that could compete with this one.
		assertThat(classes.stream().filter(ExceptionMapper.class::isAssignableFrom))
			.containsExactlyInAnyOrder(EngineRestExceptionMapper.class, JsonMappingExceptionHandler.class,
					JsonParseExceptionHandler.class);
	}

	@Test
	void jerseyAnswersAnOutage503AndEverythingElseAsBefore() throws Exception {
		EngineRestConfig config = new EngineRestConfig();
		config.afterPropertiesSet();
		config.register(Failing.class);
		try (GenericApplicationContext spring = new GenericApplicationContext()) {
			// jersey-spring6 is on the classpath: give it a context instead of its applicationContext.xml.
			spring.refresh();
			config.property("contextConfig", spring);
			ApplicationHandler jersey = new ApplicationHandler(config);

			Answer outage = get(jersey, "/engine-rest/failing/outage");
			assertThat(outage.status()).isEqualTo(503);
			assertThat(outage.response().getHeaderString("Retry-After")).isEqualTo("5");
			assertThat(outage.response().getMediaType()).hasToString("application/problem+json");
			JsonNode problem = json.readTree(outage.body());
			assertThat(problem.get("status").asInt()).isEqualTo(503);
			assertThat(problem.get("title").asText()).isEqualTo("Service Unavailable");
			assertThat(problem.get("detail").asText()).isEqualTo(DatabaseOutage.DETAIL);
			assertThat(problem.get("instance").asText()).isEqualTo("/engine-rest/failing/outage");

			assertThat(get(jersey, "/engine-rest/failing/no-transaction").status()).isEqualTo(503);

			Answer engine = get(jersey, "/engine-rest/failing/engine");
			assertThat(engine.status()).isEqualTo(500);
			assertThat(engine.response().getMediaType().toString()).startsWith("application/json");
			assertThat(engine.response().getHeaderString("Retry-After")).isNull();
			assertThat(json.readTree(engine.body()).get("type").asText()).isEqualTo("ProcessEngineException");
			assertThat(json.readTree(engine.body()).get("message").asText()).isEqualTo("ENGINE-01009 no deployed process definition found");

			Answer invalid = get(jersey, "/engine-rest/failing/invalid");
			assertThat(invalid.status()).isEqualTo(400);
			assertThat(json.readTree(invalid.body()).get("type").asText()).isEqualTo("InvalidRequestException");
			assertThat(json.readTree(invalid.body()).get("message").asText()).isEqualTo("Cannot set variable: no name");

			Answer bug = get(jersey, "/engine-rest/failing/bug");
			assertThat(bug.status()).isEqualTo(500);
			assertThat(json.readTree(bug.body()).get("type").asText()).isEqualTo("IllegalStateException");

			// Jersey's own 404 for an unknown path, in Camunda's format as before.
			Answer unknown = get(jersey, "/engine-rest/failing-not-there");
			assertThat(unknown.status()).isEqualTo(404);
			assertThat(json.readTree(unknown.body()).get("type").asText()).isEqualTo("NotFoundException");
		}
	}

	record Answer(ContainerResponse response, byte[] body) {

		int status() {
			return response.getStatus();
		}

	}

	static Answer get(ApplicationHandler jersey, String path) throws Exception {
		ContainerRequest request = new ContainerRequest(URI.create("http://localhost/engine-rest/"),
				URI.create("http://localhost" + path), "GET", null, new MapPropertiesDelegate(), jersey.getConfiguration());
		request.header("Accept", "application/json");
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		ContainerResponse response = jersey.apply(request, body).get();
		return new Answer(response, body.toByteArray());
	}

	/** A resource of the engine REST application that fails the way it is asked to. */
	@Path("/failing")
	public static class Failing {

		@GET
		@Path("/{how}")
		public String fail(@PathParam("how") String how) {
			throw switch (how) {
				case "outage" -> outage();
				case "no-transaction" -> new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
						new SQLTransientConnectionException("HikariPool-1 - Connection is not available"));
				case "engine" -> new ProcessEngineException("ENGINE-01009 no deployed process definition found");
				case "invalid" -> new InvalidRequestException(Status.BAD_REQUEST, "Cannot set variable: no name");
				default -> new IllegalStateException("bug");
			};
		}

	}

}
