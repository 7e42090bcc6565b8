package dev.souq.shared.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlatformEnvConfigSourceFactoryTest {

  private static Map<String, String> map(Map<String, String> env, boolean postgresClients) {
    return PlatformEnvConfigSourceFactory.map(
        name -> Optional.ofNullable(env.get(name)), className -> postgresClients);
  }

  @Test
  void redisUrlIsPassedThroughWithItsPasswordAndDatabase() {
    var props = map(Map.of("REDIS_URL", "rediss://:s3cret@cache.example:6380/2"), false);
    assertEquals("rediss://:s3cret@cache.example:6380/2", props.get("quarkus.redis.hosts"));
  }

  @Test
  void redisUrlWinsOverHostAndPort() {
    var props =
        map(Map.of("REDIS_URL", "redis://a:6379", "REDIS_HOST", "b", "REDIS_PORT", "1"), false);
    assertEquals("redis://a:6379", props.get("quarkus.redis.hosts"));
  }

  @Test
  void redisHostPortAndPasswordMakeOneUrlWithTheSecretEncoded() {
    var props =
        map(
            Map.of("REDIS_HOST", "redis", "REDIS_PORT", "6390", "REDIS_PASSWORD", "p@ss:w/rd"),
            false);
    assertEquals("redis://:p%40ss%3Aw%2Frd@redis:6390", props.get("quarkus.redis.hosts"));
    assertEquals(
        "redis://redis:6379", map(Map.of("REDIS_HOST", "redis"), false).get("quarkus.redis.hosts"));
  }

  @Test
  void sentinelsWithTheMasterNameMakeASentinelClientOfTheMaster() {
    var props =
        map(
            Map.of(
                "REDIS_SENTINELS", "s0:26379, redis://s1 ,s2:26380",
                "REDIS_MASTER_NAME", "souq",
                "REDIS_PASSWORD", "data-secret"),
            false);
    assertEquals(
        "redis://s0:26379,redis://s1:26379,redis://s2:26380", props.get("quarkus.redis.hosts"));
    assertEquals("sentinel", props.get("quarkus.redis.client-type"));
    assertEquals("souq", props.get("quarkus.redis.master-name"));
    assertEquals("master", props.get("quarkus.redis.role"));
    assertEquals("true", props.get("quarkus.redis.auto-failover"));
    assertEquals("data-secret", props.get("quarkus.redis.password"));
  }

  @Test
  void sentinelsWithoutAMasterNameAreRefused() {
    var refused =
        assertThrows(
            IllegalArgumentException.class, () -> map(Map.of("REDIS_SENTINELS", "s0"), false));
    assertTrue(refused.getMessage().startsWith("REDIS_MASTER_NAME is missing"));
  }

  @Test
  void clusterNodesMakeAClusterClient() {
    var props = map(Map.of("REDIS_CLUSTER_NODES", "n0:7000,rediss://:pw@n1,n2:7002/"), false);
    assertEquals(
        "redis://n0:7000,rediss://:pw@n1:6379,redis://n2:7002/", props.get("quarkus.redis.hosts"));
    assertEquals("cluster", props.get("quarkus.redis.client-type"));
    assertFalse(props.containsKey("quarkus.redis.password"));
  }

  @Test
  void theCatalogCacheGetsARedisOfItsOwnBesideAnyTopology() {
    var props =
        map(
            Map.of(
                "REDIS_CLUSTER_NODES", "n0:7000",
                "CATALOG_CACHE_REDIS_URL", "redis://:c@cache:6380/2"),
            false);
    assertEquals("cluster", props.get("quarkus.redis.client-type"));
    assertEquals("redis://:c@cache:6380/2", props.get("quarkus.redis.cache.hosts"));
    assertEquals("standalone", props.get("quarkus.redis.cache.client-type"));
    assertEquals("", props.get("quarkus.redis.cache.password"), "not the shared one");
    assertFalse(
        map(Map.of("REDIS_URL", "redis://r:6379"), false).containsKey("quarkus.redis.cache.hosts"));
    var refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> map(Map.of("CATALOG_CACHE_REDIS_URL", "http://cache"), false));
    assertTrue(refused.getMessage().contains("CATALOG_CACHE_REDIS_URL"), refused.getMessage());
  }

  @Test
  void twoTopologiesAreRefusedByName() {
    var refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                map(
                    Map.of("REDIS_URL", "redis://a:6379", "REDIS_CLUSTER_NODES", "n0:7000"),
                    false));
    assertEquals(
        "Redis is named twice (REDIS_URL, REDIS_CLUSTER_NODES): set one of REDIS_URL,"
            + " REDIS_SENTINELS and REDIS_CLUSTER_NODES",
        refused.getMessage());
  }

  @Test
  void aNodeListWithAnUnusableEntryNamesTheVariableAndHidesThePassword() {
    var refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> map(Map.of("REDIS_CLUSTER_NODES", "n0:7000,http://:pw@n1:7001"), false));
    assertTrue(refused.getMessage().startsWith("REDIS_CLUSTER_NODES is invalid"));
    assertFalse(refused.getMessage().contains("pw"), refused.getMessage());
    var unparsable =
        assertThrows(
            IllegalArgumentException.class,
            () -> map(Map.of("REDIS_CLUSTER_NODES", ":pass word@n1:7000"), false));
    assertTrue(unparsable.getMessage().startsWith("REDIS_CLUSTER_NODES is invalid"));
    assertFalse(unparsable.getMessage().contains("pass word"), unparsable.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> map(Map.of("REDIS_CLUSTER_NODES", " , "), false));
  }

  @Test
  void databaseUrlBecomesReactiveAndJdbcUrlsWithCredentials() {
    var props =
        map(
            Map.of(
                "DATABASE_URL", "postgresql://shop:pa%40ss@db.internal:6543/souq?sslmode=require"),
            true);
    assertEquals(
        "postgresql://db.internal:6543/souq?sslmode=require",
        props.get("quarkus.datasource.reactive.url"));
    assertEquals(
        "jdbc:postgresql://db.internal:6543/souq?sslmode=require",
        props.get("quarkus.datasource.jdbc.url"));
    assertEquals("shop", props.get("quarkus.datasource.username"));
    assertEquals("pa@ss", props.get("quarkus.datasource.password"));
  }

  @Test
  void herokuStylePostgresSchemeAndDefaultPortAreAccepted() {
    var props = map(Map.of("DATABASE_URL", "postgres://u@db/shop"), true);
    assertEquals("postgresql://db:5432/shop", props.get("quarkus.datasource.reactive.url"));
    assertFalse(props.containsKey("quarkus.datasource.password"));
  }

  @Test
  void servicesWithoutPostgresGetNoDatasourceKeys() {
    var props = map(Map.of("DATABASE_URL", "postgresql://u:p@db/shop"), false);
    assertTrue(props.isEmpty());
  }

  @Test
  void nothingSetMeansNothingOverridden() {
    assertTrue(map(Map.of(), true).isEmpty());
  }

  @Test
  void badUrlsFailWithTheVariableNameAndWithoutThePassword() {
    var db =
        assertThrows(
            IllegalArgumentException.class,
            () -> map(Map.of("DATABASE_URL", "mysql://u:topsecret@db/shop"), true));
    assertTrue(db.getMessage().startsWith("DATABASE_URL is invalid"), db.getMessage());
    assertFalse(db.getMessage().contains("topsecret"), db.getMessage());

    var noDb =
        assertThrows(
            IllegalArgumentException.class,
            () -> map(Map.of("DATABASE_URL", "postgresql://u:topsecret@db"), true));
    assertFalse(noDb.getMessage().contains("topsecret"), noDb.getMessage());

    var redis =
        assertThrows(
            IllegalArgumentException.class,
            () -> map(Map.of("REDIS_URL", "http://:topsecret@cache:6379"), false));
    assertTrue(redis.getMessage().startsWith("REDIS_URL is invalid"), redis.getMessage());
    assertFalse(redis.getMessage().contains("topsecret"), redis.getMessage());

    // A password with a raw '/', '?', '#' or '@' (base64 has '/') is not a URL's password at all:
    // the URL is invalid, and its message keeps everything up to the last '@' masked.
    for (String url :
        List.of(
            "postgresql://souq:top/secret@db:5432/souq",
            "postgresql://souq:top?secret@db/souq",
            "postgresql://souq:top#secret@db/souq",
            "postgresql://souq:top@secret@db/souq",
            "souq:secret@db/souq",
            "postgresql:/souq:secret@db/souq")) {
      var slash =
          assertThrows(
              IllegalArgumentException.class, () -> map(Map.of("DATABASE_URL", url), true), url);
      assertFalse(slash.getMessage().contains("secret"), slash.getMessage());
    }
    var redisSlash =
        assertThrows(
            IllegalArgumentException.class,
            () -> map(Map.of("REDIS_URL", "redis://:top/secret@cache:6379"), false));
    assertFalse(redisSlash.getMessage().contains("secret"), redisSlash.getMessage());

    var port =
        assertThrows(
            IllegalArgumentException.class,
            () -> map(Map.of("REDIS_HOST", "cache", "REDIS_PORT", "http"), false));
    assertTrue(port.getMessage().startsWith("REDIS_PORT is invalid"), port.getMessage());
  }
}
