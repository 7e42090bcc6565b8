package dev.souq.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.devstack.Component;
import dev.souq.devstack.JvmFlags;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pod runs the JVM flags {@code ./run} uses, whose memory figures the README gives. */
class ImageJvmFlagsTest {
  @Test
  void eachImageGetsTheFlagsRunGives() {
    for (Component component : Component.values()) {
      ServiceSources sources = new ServiceSources(component.module());
      List<String> flags = new ArrayList<>();
      flags.add(sources.property("quarkus.jib.environment-variables.\"GC_CONTAINER_OPTIONS\""));
      flags.addAll(
          Arrays.asList(sources.property("quarkus.jib.jvm-additional-arguments").split(",")));
      assertEquals(
          JvmFlags.SERVICE.stream().sorted().toList(),
          flags.stream().sorted().toList(),
          component.module() + ": quarkus.jib.* in application.properties");
    }
  }
}
