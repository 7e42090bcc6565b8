package dev.souq.devstack;

/** The four services, where their packaged app lives and the ports each listens on locally. */
public enum Component {
  CATALOG("catalog-service", 8081),
  ORDER("order-service", 8082),
  NOTIFICATION("notification-service", 8083),
  WORKER("worker-service", 8084);

  private final String module;
  private final int port;

  Component(String module, int port) {
    this.module = module;
    this.port = port;
  }

  /** The Maven module, which is also the service's name. */
  public String module() {
    return module;
  }

  /** The CONTRACT port. */
  public int port() {
    return port;
  }

  /**
   * Whether it is given the operator's and the services' tokens: it has endpoints for operators or
   * other services, or calls one. notification-service faces browsers only: it holds neither, so
   * taking it over gives none.
   */
  public boolean holdsTokens() {
    return this != NOTIFICATION;
  }

  /** Where {@code ./run} puts its management interface ({@code /q/*}): the port + 1000. */
  public int managementPort() {
    return port + 1000;
  }
}
