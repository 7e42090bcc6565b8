package dev.souq.shared.json;

import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.InputDecorator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks that JSON read from bytes is strict UTF-8 before Jackson sees it. Jackson's own decoder
 * refuses most bad bytes but takes overlong forms ({@code C0 80} would be a NUL in disguise) and
 * UTF-8-encoded surrogates; the JDK's decoder refuses them all. Text already decoded (a {@link
 * Reader}, a {@link String}) is left alone.
 */
class Utf8Check extends InputDecorator {
  private static final long serialVersionUID = 1L;

  @Override
  public InputStream decorate(IOContext ctxt, InputStream in) throws IOException {
    byte[] bytes = in.readAllBytes();
    check(bytes, 0, bytes.length);
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public InputStream decorate(IOContext ctxt, byte[] src, int offset, int length)
      throws IOException {
    check(src, offset, length);
    return null;
  }

  @Override
  public Reader decorate(IOContext ctxt, Reader r) {
    return r;
  }

  static void check(byte[] bytes, int offset, int length) throws InvalidUtf8Exception {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
    CharBuffer out = CharBuffer.allocate(Math.min(Math.max(length, 16), 8192));
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isError()) {
        throw new InvalidUtf8Exception(in.position() - offset);
      }
      if (result.isUnderflow()) {
        break;
      }
      out.clear();
    }
    CoderResult flushed = decoder.flush(out);
    if (flushed.isError()) {
      throw new InvalidUtf8Exception(in.position() - offset);
    }
  }
}
