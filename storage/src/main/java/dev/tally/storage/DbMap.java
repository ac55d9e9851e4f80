package dev.tally.storage;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * A named map of the repo's {@link Database} that survives the database file being rewritten: it
 * always reads and writes the current store's map. Callers hold a {@code DbMap}, never the {@link
 * MVMap} itself, so a {@linkplain Database#rewrite() rewrite} can move every map to a fresh file
 * without their knowing. Change it only inside {@link Database#write}.
 */
public final class DbMap<K, V> {
  private final String name;
  private final Supplier<MVMap.Builder<K, V>> builder;
  private volatile MVMap<K, V> map;

  DbMap(String name, Supplier<MVMap.Builder<K, V>> builder, MVStore store) {
    this.name = name;
    this.builder = builder;
    this.map = store.openMap(name, builder.get());
  }

  public String name() {
    return name;
  }

  /**
   * Opens the same map, with the same key and value types, in {@code fresh}, copies every entry,
   * and returns it (still unpublished: {@link #publish} switches readers over).
   */
  MVMap<K, V> copyInto(MVStore fresh) {
    MVMap<K, V> target = fresh.openMap(name, builder.get());
    for (Map.Entry<K, V> e : map.entrySet()) {
      target.put(e.getKey(), e.getValue());
    }
    return target;
  }

  void publish(MVMap<K, V> moved) {
    this.map = moved;
  }

  public V get(K key) {
    return map.get(key);
  }

  public V getOrDefault(K key, V fallback) {
    return map.getOrDefault(key, fallback);
  }

  public boolean containsKey(K key) {
    return map.containsKey(key);
  }

  public V put(K key, V value) {
    return map.put(key, value);
  }

  public V putIfAbsent(K key, V value) {
    return map.putIfAbsent(key, value);
  }

  public V remove(K key) {
    return map.remove(key);
  }

  public int size() {
    return map.size();
  }

  public boolean isEmpty() {
    return map.isEmpty();
  }

  /**
   * The keys as of now (copy-on-write: later writes do not show), from {@code from} or the start.
   */
  public Iterator<K> keyIterator(K from) {
    return map.keyIterator(from);
  }

  public Set<K> keySet() {
    return map.keySet();
  }

  public Set<Map.Entry<K, V>> entrySet() {
    return map.entrySet();
  }

  public void forEach(BiConsumer<? super K, ? super V> action) {
    map.forEach(action);
  }
}
