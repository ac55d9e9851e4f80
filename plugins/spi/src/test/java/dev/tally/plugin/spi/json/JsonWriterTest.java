package dev.tally.plugin.spi.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JsonWriterTest {
  @Test
  void writesNestedObjectsAndArrays() {
    String json =
        new JsonWriter()
            .beginObject()
            .field("a", 1)
            .name("b")
            .beginArray()
            .value("x")
            .beginObject()
            .field("t", true)
            .endObject()
            .nullValue()
            .endArray()
            .field("c", "z")
            .endObject()
            .toString();
    assertEquals("{\"a\":1,\"b\":[\"x\",{\"t\":true},null],\"c\":\"z\"}", json);
  }

  @Test
  void escapesQuotesBackslashesAndControlCharacters() {
    assertEquals(
        "[\"q\\\"b\\\\n\\nt\\tc\\u0001é\"]",
        new JsonWriter().beginArray().value("q\"b\\n\nt\tc\u0001é").endArray().toString());
  }

  @Test
  void writesEmptyContainersAndTopLevelScalars() {
    assertEquals("{}", new JsonWriter().beginObject().endObject().toString());
    assertEquals(
        "[[],{}]",
        new JsonWriter()
            .beginArray()
            .beginArray()
            .endArray()
            .beginObject()
            .endObject()
            .endArray()
            .toString());
    assertEquals("-9223372036854775808", new JsonWriter().value(Long.MIN_VALUE).toString());
  }

  @Test
  void refusesMisnestedOutput() {
    assertThrows(IllegalStateException.class, () -> new JsonWriter().name("x"));
    assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().value(1));
    assertThrows(IllegalStateException.class, () -> new JsonWriter().beginArray().endObject());
    assertThrows(IllegalStateException.class, () -> new JsonWriter().beginArray().toString());
    assertThrows(IllegalStateException.class, () -> new JsonWriter().value(1).value(2));
    assertThrows(
        IllegalStateException.class, () -> new JsonWriter().beginObject().name("a").endObject());
  }
}
