package dev.souq.shared.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RoutePathTest {
  @Test
  void everySpellingOfARouteIsThatRoute() {
    for (String path :
        new String[] {
          "/api/sessions",
          "/api/sessions/",
          "//api//sessions",
          "/api;a=b/sessions;x=1",
          "api/sessions",
          "/api/sessions//",
          "/api/sessions;"
        }) {
      assertEquals("/api/sessions", RatePolicies.canonical(path), path);
    }
    assertEquals("/", RatePolicies.canonical("/"));
    assertEquals("/", RatePolicies.canonical(""));
    assertEquals("/", RatePolicies.canonical("//"));
    assertEquals("/api/products/7", RatePolicies.canonical("/api/products/7"));
  }
}
