package org.vcpusim.scenarios.result;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Output files that are whole or absent: the content goes to a temporary file in the target's
 * directory ({@code .NAME.*.tmp}), is flushed and closed, then renamed over the target with {@link
 * StandardCopyOption#ATOMIC_MOVE} ({@code rename(2)}, which replaces an existing target
 * atomically on POSIX file systems). A reader sees the old file or the new one, never a prefix;
 * a crash leaves at most a stray temporary file, never a half-written report.
 *
 * <p><b>Caveats:</b> a file system without atomic rename fails with an {@link
 * UncheckedIOException} rather than falling back to a copy. Concurrent writers of one target: the
 * last rename wins.
 */
public final class AtomicFiles {
  /** What writes the content. */
  @FunctionalInterface
  public interface Content {
    /** Writes the whole content to {@code out} (which the caller closes). */
    void writeTo(OutputStream out) throws IOException;
  }

  /** Permissions of an output file on POSIX file systems: what a 022 umask gives a new file. */
  static final String OUTPUT_PERMISSIONS = "rw-r--r--";

  private AtomicFiles() {}

  /** Writes {@code text} (UTF-8) to {@code target} atomically. */
  public static void writeString(Path target, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    write(target, out -> out.write(bytes));
  }

  /**
   * Writes {@code content} to {@code target} atomically, creating the directory if needed.
   *
   * @throws UncheckedIOException when writing or renaming fails (the temporary file is removed)
   */
  public static void write(Path target, Content content) {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
        content.writeTo(out);
      }
      if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
        // createTempFile makes the file private (0600); a report is meant to be shared.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(OUTPUT_PERMISSIONS));
      }
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
    } catch (AtomicMoveNotSupportedException e) {
      throw new UncheckedIOException("cannot rename atomically onto " + abs, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + abs + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // The original failure is the one to report; a stray temporary file is harmless.
        }
      }
    }
  }
}
