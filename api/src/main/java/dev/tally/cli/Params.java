package dev.tally.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The query parameters of one RPC call, in order ({@code arg} may repeat). */
final class Params {
  private final List<Map.Entry<String, String>> list = new ArrayList<>();

  static Params of() {
    return new Params();
  }

  Params add(String name, Object value) {
    list.add(Map.entry(name, String.valueOf(value)));
    return this;
  }

  /** Adds {@code name=value} only when {@code when} holds. */
  Params add(String name, Object value, boolean when) {
    return when ? add(name, value) : this;
  }

  /**
   * Adds {@code name=value} only when a value is given (a flag the user did not set is left out).
   */
  Params addSet(String name, Object value) {
    return value == null ? this : add(name, value);
  }

  Params args(List<String> values) {
    values.forEach(v -> add("arg", v));
    return this;
  }

  List<Map.Entry<String, String>> list() {
    return list;
  }
}
