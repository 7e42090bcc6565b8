package dev.souq.shared.config;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * Reads a whole-number setting and refuses one outside its range, so the service does not start on
 * it. Used with {@code @WithConverter} where a {@code @Min}/{@code @Max} would do: a constraint
 * annotation on any {@code @ConfigMapping} makes Quarkus build a second Hibernate Validator factory
 * at every start, which cost each service ~0.6 s of its start-up on JDK 17 for a few range checks
 * (README "Start-up").
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
      return null; // SmallRye then refuses it as empty, as it does for a plain int
    }
    int parsed;
    try {
      parsed = Integer.parseInt(trimmed);
    } catch (NumberFormatException notAnInt) {
      throw new IllegalArgumentException("must be a whole number (" + range() + ")");
    }
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException("must be " + range());
    }
    return parsed;
  }

  private String range() {
    return max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max;
  }
}
