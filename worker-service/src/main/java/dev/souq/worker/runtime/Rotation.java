package dev.souq.worker.runtime;

/**
 * Shares of a fetch by queue weight, by smooth weighted round robin (as nginx balances upstreams):
 * each slot goes to the queue with the most credit, every queue earns its weight per slot and the
 * winner pays the total. With weights 6, 3, 1, every ten slots in a row give 6, 3 and 1, spread
 * out, so a queue of weight w waits at most a few slots and never starves however full the others
 * are. The credit carries over between fetches: a worker fetching one job at a time still rotates.
 */
final class Rotation {
  private final int[] weights;
  private final int[] credit;
  private final int total;

  Rotation(int[] weights) {
    this.weights = weights.clone();
    this.credit = new int[weights.length];
    int sum = 0;
    for (int weight : weights) {
      sum += weight;
    }
    this.total = sum;
  }

  /** How many of the next {@code slots} slots each queue gets, in the weights' order. */
  synchronized int[] shares(int slots) {
    int[] shares = new int[weights.length];
    for (int slot = 0; slot < slots; slot++) {
      int best = 0;
      for (int i = 0; i < weights.length; i++) {
        credit[i] += weights[i];
        if (credit[i] > credit[best]) {
          best = i;
        }
      }
      credit[best] -= total;
      shares[best]++;
    }
    return shares;
  }
}
