package dev.souq.shared.json;

import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.InputDecorator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

/**
 * Checks that JSON read from bytes is strict UTF-8 ({@link StrictUtf8}) before Jackson sees it.
 * Jackson's own decoder refuses most bad bytes but takes overlong forms ({@code C0 80} would be a
 * NUL in disguise) and UTF-8-encoded surrogates. Text already decoded (a {@link Reader}, a {@link
 * String}) is left alone.
 */
class Utf8Check extends InputDecorator {
  private static final long serialVersionUID = 1L;

  @Override
  public InputStream decorate(IOContext ctxt, InputStream in) throws IOException {
    byte[] bytes = in.readAllBytes();
    StrictUtf8.check(bytes, 0, bytes.length);
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public InputStream decorate(IOContext ctxt, byte[] src, int offset, int length)
      throws IOException {
    StrictUtf8.check(src, offset, length);
    return null;
  }

  @Override
  public Reader decorate(IOContext ctxt, Reader r) {
    return r;
  }
}
