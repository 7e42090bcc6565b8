package dev.souq.shared.problem;

/**
 * Whether this service's database schema is still being migrated. A service starts answering before
 * its migrations have run (they retry until PostgreSQL answers), so until then a query may name a
 * table that does not exist yet: that is the database not being ready, answered 503, not a bug.
 * Implemented by the service's migrations bean, where it has one.
 */
public interface SchemaState {
  /** True until the schema is current. */
  boolean migrating();
}
