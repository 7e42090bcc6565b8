package dev.souq.devstack;

import java.util.List;

/**
 * The path routing of docs/contract.md, identical in the local gateway and the Kubernetes Ingress:
 * {@code /api/products/**} to catalog, sessions, cart and orders to order, tasks to worker, {@code
 * /ws/**} and everything else (the page) to notification.
 */
public final class Routes {
  /** A path prefix and the service that owns it. */
  public record Route(String prefix, Component target) {
    boolean matches(String path) {
      return path.equals(prefix) || path.startsWith(prefix + "/");
    }
  }

  /** Most specific first; the page takes whatever is left. */
  public static final List<Route> TABLE =
      List.of(
          new Route("/api/products", Component.CATALOG),
          new Route("/api/sessions", Component.ORDER),
          new Route("/api/accounts", Component.ORDER),
          new Route("/api/cart", Component.ORDER),
          new Route("/api/orders", Component.ORDER),
          new Route("/api/tasks", Component.WORKER),
          new Route("/ws", Component.NOTIFICATION));

  private Routes() {}

  /**
   * The service for a request path; like the Ingress's {@code /} rule, the rest goes to the page.
   */
  public static Component route(String path) {
    for (Route route : TABLE) {
      if (route.matches(path)) {
        return route.target();
      }
    }
    return Component.NOTIFICATION;
  }
}
