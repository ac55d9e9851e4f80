package dev.tally.lending.schedule;

import java.util.Arrays;
import java.util.stream.Collectors;

/** An option with a stable text code, the form it takes in records, JSON and on the CLI. */
public interface Coded {
  String code();

  /**
   * The constant of {@code type} whose code is {@code code}.
   *
   * @throws ScheduleException naming the accepted codes
   */
  static <E extends Enum<E> & Coded> E parse(Class<E> type, String what, String code) {
    for (E e : type.getEnumConstants()) {
      if (e.code().equals(code)) {
        return e;
      }
    }
    throw new ScheduleException(
        what
            + " \""
            + code
            + "\" is not one of "
            + Arrays.stream(type.getEnumConstants())
                .map(Coded::code)
                .collect(Collectors.joining(", ")));
  }
}
