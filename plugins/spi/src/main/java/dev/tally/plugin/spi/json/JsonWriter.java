package dev.tally.plugin.spi.json;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes one JSON value into text, checking the nesting as it goes: a name outside an object, a
 * value without a name inside one, or {@link #toString()} before every container is closed throws
 * {@link IllegalStateException}.
 *
 * <pre>{@code
 * String json = new JsonWriter().beginObject().field("loans", 3).field("currency", "EUR")
 *     .endObject().toString();   // {"loans":3,"currency":"EUR"}
 * }</pre>
 */
public final class JsonWriter {
  private final StringBuilder out = new StringBuilder();

  /** 'o' for an object, 'a' for an array; top is the innermost open container. */
  private final Deque<Character> open = new ArrayDeque<>();

  private boolean first = true;
  private boolean named;
  private boolean done;

  public JsonWriter beginObject() {
    beforeValue(false);
    out.append('{');
    open.push('o');
    first = true;
    return this;
  }

  public JsonWriter endObject() {
    return end('o', '}');
  }

  public JsonWriter beginArray() {
    beforeValue(false);
    out.append('[');
    open.push('a');
    first = true;
    return this;
  }

  public JsonWriter endArray() {
    return end('a', ']');
  }

  /** The next member's name; only inside an object. */
  public JsonWriter name(String name) {
    if (open.isEmpty() || open.peek() != 'o' || named) {
      throw new IllegalStateException("a name can only start an object member: \"" + name + "\"");
    }
    if (!first) {
      out.append(',');
    }
    first = false;
    quote(name);
    out.append(':');
    named = true;
    return this;
  }

  public JsonWriter value(String s) {
    beforeValue(true);
    quote(s);
    return this;
  }

  public JsonWriter value(long n) {
    beforeValue(true);
    out.append(n);
    return this;
  }

  public JsonWriter value(boolean b) {
    beforeValue(true);
    out.append(b);
    return this;
  }

  public JsonWriter nullValue() {
    beforeValue(true);
    out.append("null");
    return this;
  }

  public JsonWriter field(String name, String value) {
    return name(name).value(value);
  }

  public JsonWriter field(String name, long value) {
    return name(name).value(value);
  }

  public JsonWriter field(String name, boolean value) {
    return name(name).value(value);
  }

  /** The JSON text. */
  @Override
  public String toString() {
    if (!done) {
      throw new IllegalStateException(
          open.isEmpty() ? "nothing was written" : open.size() + " container(s) left open");
    }
    return out.toString();
  }

  private JsonWriter end(char kind, char close) {
    if (open.isEmpty() || open.peek() != kind || named) {
      throw new IllegalStateException(
          "cannot close " + (kind == 'o' ? "an object" : "an array") + " here");
    }
    open.pop();
    out.append(close);
    first = false;
    done = open.isEmpty();
    return this;
  }

  private void beforeValue(boolean scalar) {
    if (done) {
      throw new IllegalStateException("the JSON value is complete; nothing can follow it");
    }
    if (open.isEmpty()) {
      // A scalar at the top completes the document; a container completes when it closes.
      done = scalar;
      return;
    }
    if (open.peek() == 'o') {
      if (!named) {
        throw new IllegalStateException("a value inside an object needs a name first");
      }
      named = false;
    } else {
      if (!first) {
        out.append(',');
      }
      first = false;
    }
  }

  private void quote(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
