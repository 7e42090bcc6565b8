package dev.souq.catalog.cache;

import static org.awaitility.Awaitility.await;

import dev.souq.testing.ProxyControl;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * In near mode the L1 is trusted only while the invalidation channel is heard: a subscription gone
 * silent without breaking (its connection open, nothing through) turns it off as a lost one does,
 * or it would serve what other replicas changed until its TTL.
 */
@QuarkusTest
@TestProfile(NearModeSilenceTest.Near.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class NearModeSilenceTest {

  /** catalog.cache.mode=near. */
  public static class Near implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("catalog.cache.mode", "near");
    }
  }

  @Inject NearCacheL1 l1;

  @Test
  void aSilentSubscriptionTurnsTheL1OffUntilItIsHeardAgain() {
    await().atMost(Duration.ofSeconds(20)).until(l1::usable);
    ProxyControl redis = TestStack.get().redisProxy();
    try {
      redis.freeze();
      await().atMost(Duration.ofSeconds(20)).until(() -> !l1.usable());
    } finally {
      redis.restore();
    }
    await().atMost(Duration.ofSeconds(30)).until(l1::usable);
  }
}
