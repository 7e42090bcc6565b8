package dev.souq.testing.hostile;

/**
 * One hostile input and the answer it must get. Its name says the category and the case, so a
 * failing parametrised test names what broke.
 */
public record HostileCase(String category, String name, Request request, Expect expect) {
  @Override
  public String toString() {
    return category + ": " + name + " → " + expect.description();
  }
}
