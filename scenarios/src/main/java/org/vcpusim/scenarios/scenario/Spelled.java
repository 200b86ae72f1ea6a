package org.vcpusim.scenarios.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A constant of a closed set that has one spelling in scenario files and outputs (for example
 * {@link Abi#RSEQ_MM_CID} is {@code rseq-mm_cid}). Spellings are matched exactly: case matters, so
 * a file means the same under every default locale.
 */
public interface Spelled {
  /** The name of this constant in a scenario file, a report and {@code result.json}. */
  String spelling();

  /** The constant of {@code type} spelled {@code text}, if any. */
  static <E extends Enum<E> & Spelled> Optional<E> bySpelling(Class<E> type, String text) {
    for (E e : type.getEnumConstants()) {
      if (e.spelling().equals(text)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** The spellings of every constant of {@code type}, in declaration order. */
  static <E extends Enum<E> & Spelled> List<String> spellings(Class<E> type) {
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.spelling());
    }
    return List.copyOf(names);
  }
}
