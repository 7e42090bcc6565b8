package dev.souq.shared.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
  @Test
  void anIpv4ClientIsItsAddress() {
    assertEquals(
        "203.0.113.9", ClientAddress.of(SocketAddress.inetSocketAddress(1, "203.0.113.9")));
  }

  @Test
  void everyAddressOfAnIpv6SlashSixtyFourIsOneClient() {
    String a = ClientAddress.of(SocketAddress.inetSocketAddress(1, "2001:db8:1:2:aaaa::1"));
    String b =
        ClientAddress.of(SocketAddress.inetSocketAddress(1, "2001:0db8:0001:0002:ffff:1:2:3"));
    assertEquals("2001:db8:1:2::/64", a);
    assertEquals(a, b);
    assertEquals(
        "2001:db8:1:3::/64",
        ClientAddress.of(SocketAddress.inetSocketAddress(1, "2001:db8:1:3::1")),
        "the next /64 is another client");
  }

  @Test
  void anIpv4MappedAddressIsItsIpv4() {
    assertEquals(
        "192.0.2.7", ClientAddress.of(SocketAddress.inetSocketAddress(1, "::ffff:192.0.2.7")));
    assertEquals("unknown", ClientAddress.of(null));
  }
}
