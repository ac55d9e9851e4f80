package dev.tally.plugin.spi.json;

import dev.tally.plugin.spi.lending.Components;
import dev.tally.plugin.spi.lending.Money;
import dev.tally.plugin.spi.log.Heads;

/**
 * The JSON shapes of the SPI's lending values, so every plugin prints money and heads alike: money
 * as {@code {"currency":"EUR","minor":88849,"amount":"888.49"}} (minor units are exact; the amount
 * is for people), components as {@code {"principal":…,"interest":…,"fees":…,
 * "penalties":…,"total":…}}, heads as an array of CIDs.
 */
public final class LendingJson {
  private LendingJson() {}

  public static JsonWriter money(JsonWriter w, String name, Money m) {
    w.name(name);
    return money(w, m);
  }

  public static JsonWriter money(JsonWriter w, Money m) {
    return w.beginObject()
        .field("currency", m.currency())
        .field("minor", m.minor())
        .field("amount", m.amount())
        .endObject();
  }

  public static JsonWriter components(JsonWriter w, String name, Components c) {
    w.name(name).beginObject();
    money(w, "principal", c.principal());
    money(w, "interest", c.interest());
    money(w, "fees", c.fees());
    money(w, "penalties", c.penalties());
    money(w, "total", c.total());
    return w.endObject();
  }

  public static JsonWriter heads(JsonWriter w, String name, Heads heads) {
    w.name(name).beginArray();
    heads.cids().forEach(w::value);
    return w.endArray();
  }
}
