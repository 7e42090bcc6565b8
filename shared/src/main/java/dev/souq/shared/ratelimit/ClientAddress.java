package dev.souq.shared.ratelimit;

import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who a client is for the limits: its IPv4 address, or the /64 its IPv6 address is in (one host is
 * usually given a whole /64, so per address it would have 2^64 budgets). An IPv4-mapped IPv6
 * address counts as its IPv4 address.
 */
public final class ClientAddress {
  private ClientAddress() {}

  /** {@code 203.0.113.9}, {@code 2001:db8:1:2::/64}, or {@code unknown}. */
  public static String of(SocketAddress client) {
    String host = client == null ? null : client.hostAddress();
    if (host == null || host.indexOf(':') < 0) {
      return host == null ? "unknown" : host;
    }
    InetAddress address;
    try {
      // With a colon it can only be an IPv6 literal: parsed, never looked up.
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      return host;
    }
    byte[] bytes = address.getAddress();
    if (bytes.length == 4) {
      return address.getHostAddress();
    }
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < 8; i += 2) {
      prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
      prefix.append(':');
    }
    return prefix.append(":/64").toString();
  }
}
