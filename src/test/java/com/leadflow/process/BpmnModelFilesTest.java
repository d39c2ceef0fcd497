package com.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.DecisionDefinition;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.ExclusiveGateway;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Message;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnDiagram;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.dc.Bounds;
import org.camunda.bpm.model.bpmn.instance.di.Waypoint;
import org.camunda.bpm.model.dmn.Dmn;
import org.camunda.bpm.model.dmn.DmnModelInstance;
import org.camunda.bpm.model.dmn.instance.Decision;
import org.camunda.bpm.model.dmn.instance.DmnElement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Checks the BPMN and DMN files in {@code bpmn/}: schema-valid, executable, fully laid out for
 * Camunda Modeler, readable ids, consistent with {@link LeadProcess}, and deployable by the engine.
 */
class BpmnModelFilesTest {

	static final Path DIR = Path.of("bpmn");

	/** Ids Camunda Modeler generates (e.g. Flow_1x2y3z4); the files must use meaningful ids instead. */
	static final Pattern GENERATED_ID = Pattern.compile("id=\"(Task|Activity|Gateway|Event|Flow)_[0-9a-z]{7}\"");

	static final String DMNDI_NS = "https://www.omg.org/spec/DMN/20191111/DMNDI/";

	static final Map<Path, BpmnModelInstance> bpmn = new TreeMap<>();

	static final Map<Path, DmnModelInstance> dmn = new TreeMap<>();

	@BeforeAll
	static void readModels() throws IOException {
		for (Path file : files()) {
			String name = file.getFileName().toString();
			if (name.endsWith(".bpmn")) {
				bpmn.put(file, Bpmn.readModelFromFile(file.toFile())); // validates against the BPMN schema
			}
			else if (name.endsWith(".dmn")) {
				dmn.put(file, Dmn.readModelFromFile(file.toFile())); // validates against the DMN schema
			}
		}
		assertThat(bpmn).as("BPMN files in %s", DIR.toAbsolutePath()).hasSize(6);
		assertThat(dmn).as("DMN files in %s", DIR.toAbsolutePath()).hasSize(2);
	}

	static List<Path> files() throws IOException {
		try (Stream<Path> list = Files.list(DIR)) {
			return list.filter(Files::isRegularFile)
				.filter(p -> p.toString().endsWith(".bpmn") || p.toString().endsWith(".dmn"))
				.sorted()
				.toList();
		}
	}

	@TestFactory
	Stream<DynamicTest> processesAreExecutableWithHistoryTimeToLive() {
		return bpmn.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey().toString(), () -> {
			Collection<Process> processes = e.getValue().getModelElementsByType(Process.class);
			assertThat(processes).hasSize(1);
			for (Process process : processes) {
				assertThat(process.isExecutable()).as("%s isExecutable", process.getId()).isTrue();
				assertThat(process.getCamundaHistoryTimeToLiveString()).as("%s historyTimeToLive", process.getId())
					.isEqualTo("P180D");
				assertThat(process.getName()).as("%s name", process.getId()).isNotBlank();
			}
		}));
	}

	@TestFactory
	Stream<DynamicTest> decisionsHaveHistoryTimeToLiveAndDiagram() {
		return dmn.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey().toString(), () -> {
			Collection<Decision> decisions = e.getValue().getModelElementsByType(Decision.class);
			assertThat(decisions).isNotEmpty();
			Set<String> shapes = dmnShapeRefs(e.getKey());
			for (Decision decision : decisions) {
				assertThat(decision.getCamundaHistoryTimeToLiveString()).as("%s historyTimeToLive", decision.getId())
					.isEqualTo("P180D");
				assertThat(decision.getName()).as("%s name", decision.getId()).isNotBlank();
				assertThat(shapes).as("DMNShape for %s", decision.getId()).contains(decision.getId());
			}
		}));
	}

	@TestFactory
	Stream<DynamicTest> everyFlowNodeAndSequenceFlowIsDrawn() {
		return bpmn.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey().toString(), () -> {
			BpmnModelInstance model = e.getValue();
			assertThat(model.getModelElementsByType(BpmnDiagram.class)).hasSize(1);
			Map<String, Bounds> shapes = new TreeMap<>();
			for (BpmnShape shape : model.getModelElementsByType(BpmnShape.class)) {
				assertThat(shape.getBounds()).as("bounds of %s", shape.getId()).isNotNull();
				shapes.put(shape.getBpmnElement().getId(), shape.getBounds());
			}
			Map<String, List<Waypoint>> edges = new TreeMap<>();
			for (BpmnEdge edge : model.getModelElementsByType(BpmnEdge.class)) {
				edges.put(edge.getBpmnElement().getId(), new ArrayList<>(edge.getWaypoints()));
			}
			for (FlowNode node : model.getModelElementsByType(FlowNode.class)) {
				assertThat(shapes).as("shape for %s", node.getId()).containsKey(node.getId());
				assertThat(node.getName()).as("name of %s", node.getId()).isNotBlank();
			}
			for (SequenceFlow flow : model.getModelElementsByType(SequenceFlow.class)) {
				List<Waypoint> points = edges.get(flow.getId());
				assertThat(points).as("edge for %s", flow.getId()).isNotNull().hasSizeGreaterThanOrEqualTo(2);
				assertThat(touches(points.get(0), shapes.get(flow.getSource().getId())))
					.as("%s starts at its source %s", flow.getId(), flow.getSource().getId()).isTrue();
				assertThat(touches(points.get(points.size() - 1), shapes.get(flow.getTarget().getId())))
					.as("%s ends at its target %s", flow.getId(), flow.getTarget().getId()).isTrue();
			}
		}));
	}

	@TestFactory
	Stream<DynamicTest> shapesDoNotOverlap() {
		return bpmn.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey().toString(), () -> {
			BpmnModelInstance model = e.getValue();
			List<BpmnShape> shapes = model.getModelElementsByType(BpmnShape.class).stream()
				.filter(s -> !(s.getBpmnElement() instanceof SubProcess))
				.toList();
			for (BpmnShape shape : shapes) {
				if (shape.getBpmnElement() instanceof BoundaryEvent boundary) {
					BpmnShape host = shapeOf(model, boundary.getAttachedTo().getId());
					assertThat(overlap(shape.getBounds(), host.getBounds()))
						.as("%s sits on the border of %s", boundary.getId(), host.getBpmnElement().getId()).isTrue();
				}
			}
			for (int i = 0; i < shapes.size(); i++) {
				for (int j = i + 1; j < shapes.size(); j++) {
					BaseElement a = shapes.get(i).getBpmnElement();
					BaseElement b = shapes.get(j).getBpmnElement();
					if (a instanceof BoundaryEvent be && be.getAttachedTo() == b
							|| b instanceof BoundaryEvent be2 && be2.getAttachedTo() == a) {
						continue;
					}
					assertThat(overlap(shapes.get(i).getBounds(), shapes.get(j).getBounds()))
						.as("%s overlaps %s", a.getId(), b.getId()).isFalse();
				}
			}
		}));
	}

	@TestFactory
	Stream<DynamicTest> exclusiveGatewaysHaveConditionsOrDefault() {
		return bpmn.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey().toString(), () -> {
			for (ExclusiveGateway gateway : e.getValue().getModelElementsByType(ExclusiveGateway.class)) {
				if (gateway.getOutgoing().size() < 2) {
					continue; // a merge
				}
				for (SequenceFlow flow : gateway.getOutgoing()) {
					if (flow != gateway.getDefault()) {
						assertThat(flow.getConditionExpression()).as("condition on %s", flow.getId()).isNotNull();
						assertThat(flow.getConditionExpression().getTextContent()).startsWith("${").endsWith("}");
					}
				}
			}
		}));
	}

	@Test
	void noGeneratedIds() throws IOException {
		for (Path file : files()) {
			Matcher matcher = GENERATED_ID.matcher(Files.readString(file, StandardCharsets.UTF_8));
			List<String> found = new ArrayList<>();
			while (matcher.find()) {
				found.add(matcher.group());
			}
			assertThat(found).as("generated ids in %s", file).isEmpty();
		}
	}

	@Test
	void idsAndKeysUsedByTheCodeExist() throws IllegalAccessException {
		Set<String> ids = new HashSet<>();
		Set<String> processKeys = new HashSet<>();
		Set<String> messageNames = new HashSet<>();
		Set<String> decisionKeys = new HashSet<>();
		for (BpmnModelInstance model : bpmn.values()) {
			model.getModelElementsByType(BaseElement.class).forEach(el -> ids.add(el.getId()));
			model.getModelElementsByType(Process.class).forEach(p -> processKeys.add(p.getId()));
			model.getModelElementsByType(Message.class).forEach(m -> messageNames.add(m.getName()));
		}
		for (DmnModelInstance model : dmn.values()) {
			model.getModelElementsByType(DmnElement.class).forEach(el -> ids.add(el.getId()));
			model.getModelElementsByType(Decision.class).forEach(d -> decisionKeys.add(d.getId()));
		}
		for (Field field : LeadProcess.Elements.class.getDeclaredFields()) {
			if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
				assertThat(ids).as("LeadProcess.Elements.%s", field.getName()).contains((String) field.get(null));
			}
		}
		assertThat(processKeys).containsExactlyInAnyOrder(LeadProcess.KEY, LeadProcess.NURTURE, LeadProcess.UPSELL,
				LeadProcess.RECYCLE, LeadProcess.OUTBOUND, LeadProcess.SALES_HANDOFF);
		assertThat(decisionKeys).containsExactlyInAnyOrder(LeadProcess.DECISION_NEXT_ACTION,
				LeadProcess.DECISION_RECYCLE_REVISIT);
		assertThat(messageNames).contains(LeadProcess.MESSAGE_DEAL_LOST, LeadProcess.MESSAGE_DO_NOT_CONTACT,
				LeadProcess.MESSAGE_CONTENT_ACTION_DONE);
	}

	@Test
	void engineDeploysAllFilesInOneDeployment() throws IOException {
		ProcessEngine engine = ProcessEngineConfiguration.createStandaloneInMemProcessEngineConfiguration()
			.setJdbcUrl("jdbc:h2:mem:bpmn-parse;DB_CLOSE_DELAY=-1")
			.setProcessEngineName("bpmn-parse")
			.buildProcessEngine();
		try {
			RepositoryService repository = engine.getRepositoryService();
			DeploymentBuilder builder = repository.createDeployment().name("leadflow-models");
			for (Path file : files()) {
				builder.addInputStream(file.getFileName().toString(), new ByteArrayInputStream(Files.readAllBytes(file)));
			}
			Deployment deployment = builder.deploy();
			assertThat(deployment.getId()).isNotNull();
			assertThat(repository.createProcessDefinitionQuery().deploymentId(deployment.getId()).list())
				.extracting(ProcessDefinition::getKey)
				.containsExactlyInAnyOrder(LeadProcess.KEY, LeadProcess.NURTURE, LeadProcess.UPSELL,
						LeadProcess.RECYCLE, LeadProcess.OUTBOUND, LeadProcess.SALES_HANDOFF);
			assertThat(repository.createDecisionDefinitionQuery().deploymentId(deployment.getId()).list())
				.extracting(DecisionDefinition::getKey)
				.containsExactlyInAnyOrder(LeadProcess.DECISION_NEXT_ACTION, LeadProcess.DECISION_RECYCLE_REVISIT);
		}
		finally {
			engine.close();
		}
	}

	// ------------------------------------------------------------------------------------------

	static BpmnShape shapeOf(BpmnModelInstance model, String elementId) {
		return model.getModelElementsByType(BpmnShape.class).stream()
			.filter(s -> s.getBpmnElement().getId().equals(elementId))
			.findFirst()
			.orElseThrow();
	}

	/** The waypoint lies on (or within a pixel of) the shape's bounding box. */
	static boolean touches(Waypoint p, Bounds b) {
		if (b == null) {
			return false;
		}
		return p.getX() >= b.getX() - 1 && p.getX() <= b.getX() + b.getWidth() + 1 && p.getY() >= b.getY() - 1
				&& p.getY() <= b.getY() + b.getHeight() + 1;
	}

	static boolean overlap(Bounds a, Bounds b) {
		return a.getX() < b.getX() + b.getWidth() && b.getX() < a.getX() + a.getWidth()
				&& a.getY() < b.getY() + b.getHeight() && b.getY() < a.getY() + a.getHeight();
	}

	static Set<String> dmnShapeRefs(Path file) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setNamespaceAware(true);
		Document doc = factory.newDocumentBuilder().parse(file.toFile());
		NodeList shapes = doc.getElementsByTagNameNS(DMNDI_NS, "DMNShape");
		Set<String> refs = new HashSet<>();
		for (int i = 0; i < shapes.getLength(); i++) {
			refs.add(((Element) shapes.item(i)).getAttribute("dmnElementRef"));
		}
		return refs.stream().filter(s -> !s.isEmpty()).collect(Collectors.toSet());
	}

}
