package org.vcpusim.cpu.mem;

/** The kind of access that faulted: a data read, a data write, or an instruction fetch. */
public enum AccessKind {
  READ,
  WRITE,
  EXECUTE
}
