package dev.souq.shared.config;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * Reads a whole-number setting and refuses one outside its range, so the service does not start on
 * it. Used with {@code @WithConverter} where a {@code @Min}/{@code @Max} would do: a constraint
 * annotation on any {@code @ConfigMapping} makes Quarkus build a second Hibernate Validator factory
 * at every start, which cost catalog-service ~0.7 s of its ~2.9 s for a few range checks (README
 * "Start-up").
 */
public abstract class BoundedInt implements Converter<Integer> {
  private static final long serialVersionUID = 1L;
  private final int min;
  private final int max;

  protected BoundedInt(int min, int max) {
    this.min = min;
    this.max = max;
  }

  @Override
  public Integer convert(String value) {
    String trimmed = value.trim();
    if (trimmed.isEmpty()) {
      return null; // not set: the mapping then takes its default, or reports it missing
    }
    int parsed = Integer.parseInt(trimmed);
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException(
          max == Integer.MAX_VALUE
              ? "must be at least " + min
              : "must be between " + min + " and " + max);
    }
    return parsed;
  }
}
