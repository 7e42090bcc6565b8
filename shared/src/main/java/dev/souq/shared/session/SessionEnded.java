package dev.souq.shared.session;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The announcement of a session's end on {@link SessionStore#ENDED_CHANNEL}: whose it was, so a
 * watcher finds its connections through the user's.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SessionEnded(String sessionId, String userId) {}
