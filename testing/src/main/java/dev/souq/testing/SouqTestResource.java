package dev.souq.testing;

import dev.souq.shared.config.PlatformEnvConfigSourceFactory;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.Optional;

/**
 * Points a {@code @QuarkusTest} app at the {@link TestStack}, both servers through their outage
 * proxies. Register it once per module with {@code @WithTestResource(value =
 * SouqTestResource.class, scope = TestResourceScope.GLOBAL)}.
 */
public class SouqTestResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    TestStack stack = TestStack.get();
    Map<String, String> env =
        Map.of("REDIS_URL", stack.proxiedRedisUrl(), "DATABASE_URL", stack.proxiedDatabaseUrl());
    return PlatformEnvConfigSourceFactory.toQuarkus(name -> Optional.ofNullable(env.get(name)));
  }

  @Override
  public void stop() {
    // The stack lives as long as the test JVM, shared by every app restart in the module.
  }
}
