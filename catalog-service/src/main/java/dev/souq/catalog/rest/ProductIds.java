package dev.souq.catalog.rest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The ids of a batch lookup, already checked against its pattern: each once, in first order. */
final class ProductIds {
  private ProductIds() {}

  static List<Long> parse(String ids) {
    Set<Long> distinct = new LinkedHashSet<>();
    for (String id : ids.split(",")) {
      distinct.add(Long.parseLong(id));
    }
    return new ArrayList<>(distinct);
  }
}
