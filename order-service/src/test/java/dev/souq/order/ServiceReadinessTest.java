package dev.souq.order;

import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.ServiceSmokeTest;
import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class ServiceReadinessTest extends ServiceSmokeTest {
  @Override
  protected boolean usesPostgres() {
    return true;
  }

  @Override
  protected List<String> readinessChecks() {
    return List.of("Redis connection health check", "postgresql", "database-migrations");
  }
}
