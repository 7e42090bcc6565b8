package dev.souq.order.ratelimit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.devstack.Component;
import dev.souq.devstack.ServiceProcess;
import dev.souq.devstack.testing.Ports;
import dev.souq.devstack.testing.RedisCommand;
import dev.souq.devstack.testing.TestStack;
import io.restassured.RestAssured;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two packaged order-service replicas spend one per-IP budget, kept in Redis. */
class SharedBudgetIT {
  private static ServiceProcess a;
  private static ServiceProcess b;
  private static int portA;
  private static int portB;

  @BeforeAll
  static void startTwoReplicas() throws Exception {
    TestStack stack = TestStack.get();
    Map<String, String> env =
        Map.of(
            "REDIS_URL", stack.redisUrl(),
            "DATABASE_URL", stack.databaseUrl(),
            "SOUQ_RATE_LIMIT_PER_MINUTE", "100");
    Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
    portA = Ports.free();
    portB = Ports.free();
    a = ServiceProcess.start(Component.ORDER, jar, portA, env, Path.of("target/limit-a.log"));
    b = ServiceProcess.start(Component.ORDER, jar, portB, env, Path.of("target/limit-b.log"));
    a.awaitReady(Duration.ofSeconds(60));
    b.awaitReady(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    for (ServiceProcess p : new ServiceProcess[] {a, b}) {
      if (p != null) {
        p.stop(Duration.ofSeconds(10));
      }
    }
  }

  @Test
  void requestsToEitherReplicaComeOutOfOneBudget() {
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", "rate_limit:127.0.0.1");
    long start = System.nanoTime();
    int allowed = 0;
    for (int i = 0; i < 60; i++) {
      if (status(portA) != 429) {
        allowed++;
      }
    }
    int onB = 0;
    while (onB < 200 && status(portB) != 429) {
      onB++;
    }
    allowed += onB;
    long refills = (System.nanoTime() - start) / 600_000_000L + 1;
    assertTrue(onB < 100, "B had its own budget: " + onB);
    assertTrue(allowed >= 100 && allowed <= 100 + refills, "allowed " + allowed);
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", "rate_limit:127.0.0.1");
  }

  private static int status(int port) {
    return RestAssured.given().port(port).get("/api/sessions/current").statusCode();
  }
}
