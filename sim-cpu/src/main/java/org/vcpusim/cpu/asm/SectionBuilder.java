package org.vcpusim.cpu.asm;

import java.util.ArrayList;
import java.util.List;
import org.vcpusim.cpu.isa.SourceLocation;

/**
 * One output section while it is being assembled: its attributes (from {@code .section} flags or
 * the gas defaults for well-known names), its items in order, the offset of each item once sizes
 * are known, and the parse-time fragment bookkeeping behind {@link Fold}.
 *
 * <p>A new fragment starts after every item whose size is not known at parse time (a relaxable
 * branch, an alignment), as in gas, where {@code frag_var} closes the current frag.
 *
 * <p><b>Caveat:</b> mutable; owned by one {@link Assembly}.
 */
final class SectionBuilder {
  final String name;
  final int order;
  final SourceLocation firstUse;
  boolean alloc;
  boolean write;
  boolean exec;
  boolean nobits;

  final List<Item> items = new ArrayList<>();
  /** {@code offsets[i]} is where item i starts; {@code offsets[items.size()]} is the size. */
  long[] offsets = new long[1];
  int maxAlignment = 1;
  boolean hasSymbols;

  int fragId;
  long fragOffset;

  long address;
  byte[] bytes;

  SectionBuilder(String name, int order, SourceLocation firstUse, boolean alloc, boolean write,
      boolean exec, boolean nobits) {
    this.name = name;
    this.order = order;
    this.firstUse = firstUse;
    this.alloc = alloc;
    this.write = write;
    this.exec = exec;
    this.nobits = nobits;
  }

  void add(Item item) {
    item.section = this;
    item.index = items.size();
    items.add(item);
    if (item.variable()) {
      fragId++;
      fragOffset = 0;
    } else {
      fragOffset += item.size(fragOffset);
    }
  }

  /** Recomputes every item's offset from the current item sizes. */
  void computeOffsets() {
    int n = items.size();
    if (offsets.length != n + 1) {
      offsets = new long[n + 1];
    }
    long off = 0;
    for (int i = 0; i < n; i++) {
      offsets[i] = off;
      off += items.get(i).size(off);
    }
    offsets[n] = off;
  }

  long size() {
    return offsets[items.size()];
  }
}
