package dev.souq.shared.session;

import java.time.Instant;

/** One of an account's sessions as its shopper sees it listed: the session, and its last use. */
public record ActiveSession(Session session, Instant lastUsedAt) {}
