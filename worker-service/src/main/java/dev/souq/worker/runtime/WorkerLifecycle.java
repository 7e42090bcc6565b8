package dev.souq.worker.runtime;

import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.queue.WorkerIdentity;
import dev.souq.worker.service.JobRunner;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext;
import io.quarkus.arc.ManagedContext;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts the worker (register, then fetch; reaper, promoter and scheduler beside it) and stops it
 * gracefully: on SIGTERM it stops fetching, lets in-flight jobs (and runs past their time limit)
 * finish within {@code worker.shutdown-grace}, then returns whatever is left in its processing list
 * to the queue.
 */
@Singleton
public class WorkerLifecycle {
  private final Heartbeat heartbeat;
  private final Fetcher fetcher;
  private final JobRunner runner;
  private final Reaper reaper;
  private final Promoter promoter;
  private final Scheduler scheduler;
  private final WorkerIdentity identity;
  private final WorkerConfig config;

  WorkerLifecycle(
      Heartbeat heartbeat,
      Fetcher fetcher,
      JobRunner runner,
      Reaper reaper,
      Promoter promoter,
      Scheduler scheduler,
      WorkerIdentity identity,
      WorkerConfig config) {
    this.heartbeat = heartbeat;
    this.fetcher = fetcher;
    this.runner = runner;
    this.reaper = reaper;
    this.promoter = promoter;
    this.scheduler = scheduler;
    this.identity = identity;
    this.config = config;
  }

  void start(@Observes StartupEvent event) {
    outsideRequestContext(
        () -> {
          promoter.start();
          scheduler.start();
          reaper.start();
          heartbeat.start().subscribe().with(registered -> fetcher.start());
        });
  }

  /**
   * Runs {@code start} with the request context Quarkus keeps active while start-up observers run
   * put aside. Captured by context propagation into the fetch loop, it was ended after start-up and
   * ArC put a new one in its place that was never ended: every job ran in that one context, and the
   * REST client looked up a server request's headers on each call from a job, and threw. (A
   * SmallRye ThreadContext that clears the CDI context would not do: for ArC, cleared means a new,
   * empty request context, still active.)
   */
  private static void outsideRequestContext(Runnable start) {
    ManagedContext requestContext = Arc.container().requestContext();
    InjectableContext.ContextState startUp = requestContext.getStateIfActive();
    if (startUp == null) {
      start.run();
      return;
    }
    requestContext.deactivate();
    try {
      start.run();
    } finally {
      requestContext.activate(startUp);
    }
  }

  void stop(@Observes ShutdownEvent event) {
    fetcher.stop();
    promoter.stop();
    scheduler.stop();
    reaper.stop();
    // Runs on the thread that shuts Quarkus down, never an event loop: waiting is allowed here.
    try {
      // Runs past their time limit too: their claims hold their keys while this heartbeat lives.
      long until = System.nanoTime() + config.shutdownGrace().toNanos();
      fetcher.drained().get(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
      runner.lateRunsEnded().get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      Log.infof("Worker %s: jobs still running after %s", identity.id(), config.shutdownGrace());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // never completed exceptionally
    }
    try {
      Duration wait = Duration.ofSeconds(5);
      heartbeat.stop().await().atMost(wait);
      long returned = reaper.reap(identity.id(), false).await().atMost(wait);
      Log.infof(
          "Worker %s stopped; %d unfinished jobs returned to the queue",
          identity.id(), Math.max(0, returned));
    } catch (RuntimeException e) {
      Log.warnf(
          "Worker %s could not return its jobs (%s); another replica's reaper will once its heartbeat expires",
          identity.id(), e.toString());
    }
  }
}
