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
      assertEquals("/api/sessions", RateLimiter.canonical(path), path);
    }
    assertEquals("/", RateLimiter.canonical("/"));
    assertEquals("/", RateLimiter.canonical(""));
    assertEquals("/", RateLimiter.canonical("//"));
    assertEquals("/api/products/7", RateLimiter.canonical("/api/products/7"));
  }
}
