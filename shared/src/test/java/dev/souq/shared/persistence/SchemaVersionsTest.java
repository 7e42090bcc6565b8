package dev.souq.shared.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SchemaVersionsTest {
  @Test
  void partsAreComparedAsNumbersNotAsText() {
    assertTrue(SchemaVersions.compare("10", "9") > 0);
    assertTrue(SchemaVersions.compare("2.10", "2.9") > 0);
    assertTrue(SchemaVersions.compare("7", "8") < 0);
  }

  @Test
  void missingPartsAreZero() {
    assertEquals(0, SchemaVersions.compare("8", "8.0"));
    assertTrue(SchemaVersions.compare("8.1", "8") > 0);
  }

  @Test
  void newerSkipsNone() {
    assertNull(SchemaVersions.newer(null, null));
    assertEquals("3", SchemaVersions.newer(null, "3"));
    assertEquals("3", SchemaVersions.newer("3", null));
    assertEquals("12", SchemaVersions.newer("12", "2"));
  }

  @Test
  void aVersionThatIsNotNumbersIsRefused() {
    assertThrows(NumberFormatException.class, () -> SchemaVersions.compare("1.a", "1"));
  }
}
