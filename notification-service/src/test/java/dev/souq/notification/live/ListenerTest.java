package dev.souq.notification.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.notification.messaging.OrderEvent;
import dev.souq.notification.messaging.StreamId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What a connection sends around a resume: each update once, none missed. */
class ListenerTest {
  /** Records what the listener writes, in order: an offset, or a control message's text. */
  private static final class Recording extends Delivery {
    final List<String> written = new ArrayList<>();

    Recording() {
      super(null, null, null);
    }

    @Override
    void write(Listener listener, Frame frame) {
      written.add(frame.offset() != null ? frame.offset().toString() : frame.text());
    }
  }

  private final Recording delivery = new Recording();
  private final Listener listener =
      new Listener(written -> null, null, "u_1", "s_1", "client", 1000, 0, delivery, null);

  @Test
  void aLateResumeReplaysOnlyWhatCameBeforeTheFirstLiveUpdate() {
    IntStream.rangeClosed(10, 109)
        .forEach(n -> listener.sequence().offer(update(n))); // 100 sent live
    assertTrue(listener.sequence().startReplay());
    replay(5, 112); // 110–112 not routed yet
    assertTrue(listener.sequence().resumed(true));
    assertWritten(offsets(10, 109), offsets(5, 9), Replies.RESUMED);
  }

  @Test
  void liveUpdatesThatArriveDuringTheReplayFollowItOnce() {
    listener.sequence().offer(update(10));
    listener.sequence().startReplay();
    listener.sequence().offer(update(11)); // held
    replay(5, 11);
    listener.sequence().resumed(true);
    assertWritten("10-0", offsets(5, 9), Replies.RESUMED, "11-0");
  }

  @Test
  void afterTheFirstResumeAReplaySendsOnlyWhatIsNewerThanTheLastSent() {
    listener.sequence().startReplay();
    listener.sequence().resumed(true);
    listener.sequence().offer(update(20));
    listener.sequence().startReplay();
    replay(15, 22);
    listener.sequence().resumed(true);
    assertWritten(Replies.RESUMED, "20-0", offsets(21, 22), Replies.RESUMED);
  }

  @Test
  void aConnectionThatMissedLiveUpdatesIsToldToReloadAtItsNextResume() {
    listener.sequence().offer(update(10));
    listener.sequence().missedLive();
    listener.sequence().startReplay();
    replay(5, 12);
    assertFalse(listener.sequence().resumed(true));
    assertEquals(Replies.RELOAD, delivery.written.get(delivery.written.size() - 1));
    // Told once: the resume after that is whole again.
    listener.sequence().startReplay();
    assertTrue(listener.sequence().resumed(true));
  }

  /** The user's stream from offset {@code from} to {@code to}, as a replay reads it. */
  private void replay(int from, int to) {
    IntStream.rangeClosed(from, to).forEach(n -> listener.sequence().replay(event(n)));
  }

  /** What was written, in order: each part an offset or control text, or a list of them. */
  private void assertWritten(Object... parts) {
    List<String> expected = new ArrayList<>();
    for (Object part : parts) {
      if (part instanceof List<?> many) {
        many.forEach(one -> expected.add((String) one));
      } else {
        expected.add((String) part);
      }
    }
    assertEquals(expected, delivery.written);
  }

  private static OrderEvent event(int n) {
    byte[] text = ("{\"offset\":\"" + n + "-0\"}").getBytes(StandardCharsets.UTF_8);
    return new OrderEvent(new StreamId(n, 0), "u_1", text, null);
  }

  private static Frame update(int n) {
    return Frame.update(event(n), null);
  }

  private static List<String> offsets(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(n -> n + "-0").toList();
  }
}
