package dev.souq.order.ratelimit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.devstack.Component;
import dev.souq.devstack.ServiceProcess;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.Replicas;
import dev.souq.testing.TestStack;
import io.restassured.RestAssured;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two packaged order-service replicas spend one per-IP budget, kept in Redis. */
class SharedBudgetIT {
  private static Replicas replicas;
  private static int portA;
  private static int portB;

  @BeforeAll
  static void startTwoReplicas() throws Exception {
    replicas = new Replicas(Component.ORDER).with("SOUQ_RATE_LIMIT_PER_MINUTE", "100");
    List<ServiceProcess> both = replicas.start(2);
    portA = both.get(0).port();
    portB = both.get(1).port();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    replicas.close();
  }

  @Test
  void requestsToEitherReplicaComeOutOfOneBudget() {
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", "{rate_limit}:127.0.0.1");
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
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", "{rate_limit}:127.0.0.1");
  }

  private static int status(int port) {
    return RestAssured.given().port(port).get("/api/sessions/current").statusCode();
  }
}
