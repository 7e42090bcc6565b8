package dev.souq.worker.handler;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the task type a {@link TaskHandler} or {@link BlockingTaskHandler} bean runs, and its time
 * limit. One handler per type; a second one for the same type stops start-up.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Handles {
  /** The task type, e.g. {@code process_payment}. */
  String value();

  /** The time limit of one run in seconds; 0 takes {@code worker.handler-timeout}. */
  int timeoutSeconds() default 0;
}
