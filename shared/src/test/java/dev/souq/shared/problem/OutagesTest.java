package dev.souq.shared.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutagesTest {
  private final Outages outages =
      new Outages(
          new UnavailableConfig() {
            @Override
            public Duration retryAfter() {
              return Duration.ofMillis(2500);
            }

            @Override
            public Duration logInterval() {
              return Duration.ofSeconds(10);
            }
          });

  @Test
  void anOutageIs503ProblemWithRetryAfterAndNoInternals() {
    Response response = outages.answer(new ConnectException("Connection refused: /10.0.0.7")).get();
    assertEquals(503, response.getStatus());
    assertEquals(Problem.MEDIA_TYPE, response.getMediaType().toString());
    assertEquals("3", response.getHeaderString("Retry-After"));
    Problem problem = (Problem) response.getEntity();
    assertTrue(problem.detail().contains("reference "), problem.detail());
    assertFalse(problem.detail().contains("Connect"), problem.detail());
    assertFalse(problem.detail().contains("10.0.0.7"), problem.detail());
  }

  @Test
  void aBugIsNotAnsweredAsAnOutage() {
    assertTrue(outages.answer(new IllegalArgumentException("bug")).isEmpty());
  }

  @Test
  void logsOncePerIntervalAndCountsTheAnswersLeftOut() {
    Outages.Budget budget = new Outages.Budget(0);
    assertEquals(0, budget.take(0, 10));
    assertEquals(-1, budget.take(5, 10));
    assertEquals(-1, budget.take(9, 10));
    assertEquals(2, budget.take(10, 10));
    assertEquals(-1, budget.take(19, 10));
  }
}
