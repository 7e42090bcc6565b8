package dev.souq.notification.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.shared.session.SessionStore;
import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With SOUQ_ALLOWED_ORIGINS set, the list decides, not the host the upgrade was sent to. */
@QuarkusTest
@TestProfile(AllowedOriginsTest.ShopOrigins.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class AllowedOriginsTest {
  public static class ShopOrigins implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "notification.allowed-origins", "https://shop.example, https://www.shop.example:8443");
    }
  }

  @TestHTTPResource("/")
  URI base;

  @Inject SessionStore sessions;

  @Test
  void onlyTheListedOriginsMayOpenTheSocket() {
    String session = Shoppers.create(sessions).sessionId();
    assertEquals(101, OriginCheckTest.upgrade(base, session, "https://shop.example"));
    assertEquals(101, OriginCheckTest.upgrade(base, session, "https://shop.example:443"));
    assertEquals(101, OriginCheckTest.upgrade(base, session, "https://www.shop.example:8443"));
    assertEquals(403, OriginCheckTest.upgrade(base, session, "http://shop.example"));
    assertEquals(403, OriginCheckTest.upgrade(base, session, "http://localhost:" + base.getPort()));
  }
}
