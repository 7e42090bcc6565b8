package dev.souq.order.client;

/**
 * The catalog refused a reservation because its placement was released first: the order was given
 * up while its request still ran (StockReconciler), and is no longer there to confirm.
 */
public class PlacementReleasedException extends RuntimeException {
  public PlacementReleasedException() {
    super("The placement was released before it was reserved", null, false, false);
  }
}
