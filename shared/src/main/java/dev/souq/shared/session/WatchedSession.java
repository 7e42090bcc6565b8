package dev.souq.shared.session;

/**
 * A session as a watcher reads it: the session, and how long its key has left (ms) unless the
 * shopper uses it again (-1: no expiry).
 */
public record WatchedSession(Session session, long expiresInMs) {}
