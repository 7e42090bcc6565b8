package dev.souq.catalog.service;

import java.util.UUID;

/**
 * A reservation for a placement that was released before it arrived (order-service gave the order
 * up): it must never take stock, or nothing would ever give that stock back.
 */
public class ReleasedPlacementException extends RuntimeException {
  ReleasedPlacementException(UUID placement) {
    super("Placement " + placement + " was released and cannot be reserved", null, false, false);
  }
}
