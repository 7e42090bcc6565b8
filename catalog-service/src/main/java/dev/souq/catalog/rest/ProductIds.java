package dev.souq.catalog.rest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The ids of a batch lookup, already checked against its pattern: each once, in first order; null
 * if one is past the largest long.
 */
final class ProductIds {
  private ProductIds() {}

  static List<Long> parse(String ids) {
    Set<Long> distinct = new LinkedHashSet<>();
    for (String id : ids.split(",")) {
      try {
        distinct.add(Long.parseLong(id));
      } catch (NumberFormatException tooLarge) {
        return null;
      }
    }
    return new ArrayList<>(distinct);
  }
}
