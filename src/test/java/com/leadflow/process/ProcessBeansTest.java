package com.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.leadflow.testsupport.LeadflowTest;

import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.impl.BpmnModelConstants;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaTaskListener;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * Every {@code delegateExpression} in the BPMN files names a Spring bean of the right kind: a
 * service step a {@link JavaDelegate}, a task listener a {@link TaskListener}, an execution
 * listener either of {@link ExecutionListener} or {@link JavaDelegate}.
 */
@LeadflowTest
class ProcessBeansTest {

	static final Pattern BEAN_NAME = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}");

	record Binding(String file, String element, String expression, Class<?> expected) {
	}

	@Autowired
	ApplicationContext context;

	@Test
	void everyDelegateExpressionNamesABeanOfTheRightKind() throws IOException {
		List<Binding> bindings = bindings();
		assertThat(bindings).extracting(Binding::expected).contains(JavaDelegate.class, TaskListener.class);

		for (Binding binding : bindings) {
			Matcher name = BEAN_NAME.matcher(binding.expression());
			assertThat(name.matches()).as("%s in %s: %s is a plain ${beanName}", binding.element(), binding.file(),
					binding.expression()).isTrue();
			String bean = name.group(1);
			assertThat(context.containsBean(bean)).as("bean '%s' of %s in %s", bean, binding.element(), binding.file())
				.isTrue();
			Object instance = context.getBean(bean);
			if (binding.expected() == ExecutionListener.class) {
				assertThat(instance).as("bean '%s' of %s in %s", bean, binding.element(), binding.file())
					.isInstanceOfAny(ExecutionListener.class, JavaDelegate.class);
			}
			else {
				assertThat(instance).as("bean '%s' of %s in %s", bean, binding.element(), binding.file())
					.isInstanceOf(binding.expected());
			}
		}
	}

	/** Each delegate expression of every BPMN file, with the kind of bean it must resolve to. */
	static List<Binding> bindings() throws IOException {
		List<Binding> bindings = new ArrayList<>();
		List<Path> files;
		try (Stream<Path> list = Files.list(Path.of("bpmn"))) {
			files = list.filter(p -> p.toString().endsWith(".bpmn")).sorted().toList();
		}
		assertThat(files).as("BPMN files in bpmn/").isNotEmpty();
		for (Path file : files) {
			BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
			for (BaseElement element : model.getModelElementsByType(BaseElement.class)) {
				String expression = element.getAttributeValueNs(BpmnModelConstants.CAMUNDA_NS, "delegateExpression");
				if (expression != null) {
					bindings.add(new Binding(file.toString(), element.getId(), expression, JavaDelegate.class));
				}
			}
			for (CamundaTaskListener listener : model.getModelElementsByType(CamundaTaskListener.class)) {
				if (listener.getCamundaDelegateExpression() != null) {
					bindings.add(new Binding(file.toString(), owner(listener), listener.getCamundaDelegateExpression(),
							TaskListener.class));
				}
			}
			for (CamundaExecutionListener listener : model.getModelElementsByType(CamundaExecutionListener.class)) {
				if (listener.getCamundaDelegateExpression() != null) {
					bindings.add(new Binding(file.toString(), owner(listener), listener.getCamundaDelegateExpression(),
							ExecutionListener.class));
				}
			}
		}
		return bindings;
	}

	/** The BPMN element a listener is declared on (its extension elements' parent). */
	private static String owner(ModelElementInstance listener) {
		ModelElementInstance parent = listener.getParentElement();
		while (parent != null && !(parent instanceof BaseElement)) {
			parent = parent.getParentElement();
		}
		return parent == null ? "?" : ((BaseElement) parent).getId() + " (listener)";
	}

}
