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

  Params args(List<String> values) {
    values.forEach(v -> add("arg", v));
    return this;
  }

  List<Map.Entry<String, String>> list() {
    return list;
  }
}
