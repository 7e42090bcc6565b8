package dev.souq.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the one {@link SouqSystem} of this test run: started by the first class that asks,
 * shared by the others, stopped by JUnit when the run ends (also after failures).
 */
final class RunningSouq implements ParameterResolver {
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SouqSystem.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(SouqSystem.class, key -> start(), SouqSystem.class);
  }

  private static SouqSystem start() {
    try {
      return SouqSystem.start();
    } catch (Exception e) {
      throw new IllegalStateException("The shop did not start", e);
    }
  }
}
