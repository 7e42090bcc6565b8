package dev.souq.worker.runtime;

import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * A job as taken from Redis: its exact bytes ({@code toBytes()}, never a decoded String, so the
 * outcome scripts remove what was taken) and how often a reaper handed it back after a worker died.
 */
record Delivery(byte[] job, int redeliveries) {

  /** fetch.lua's answer: {jobs, counts}, counts empty when no job was ever handed back. */
  static List<Delivery> counted(Response response) {
    Response jobs = response.get(0);
    Response counts = response.get(1);
    List<Delivery> taken = new ArrayList<>(jobs.size());
    for (int i = 0; i < jobs.size(); i++) {
      int count = counts.size() > i ? counts.get(i).toInteger() : 0;
      taken.add(new Delivery(jobs.get(i).toBytes(), count));
    }
    return taken;
  }

  /** RPOP's answer (brpop mode: no processing list, so nothing is ever handed back). */
  static List<Delivery> uncounted(Response response) {
    if (response == null) {
      return List.of();
    }
    List<Delivery> jobs = new ArrayList<>(response.size());
    for (Response job : response) {
      jobs.add(new Delivery(job.toBytes(), 0));
    }
    return jobs;
  }
}
