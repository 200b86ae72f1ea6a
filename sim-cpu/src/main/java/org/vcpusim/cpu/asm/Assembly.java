package org.vcpusim.cpu.asm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Section;
import org.vcpusim.cpu.isa.SourceLocation;
import org.vcpusim.cpu.isa.Symbol;

/**
 * One run of the assembler over one source: parses statements into per-section items, resolves
 * symbols, relaxes branches, lays the sections out and emits bytes, symbols and decoded
 * instructions. {@link Assembler} is its public face and documents the accepted language.
 *
 * <p>A reference binds to the definition in force where it is written; a forward reference binds
 * to the first definition that follows it, so a symbol redefined with {@code .set} keeps, for each
 * use, the value gas gives it.
 *
 * <p>Every step is linear in the size of the source except branch relaxation, which repeats a
 * linear pass until no branch grows (each pass grows at least one branch, and in practice two or
 * three passes suffice).
 *
 * <p><b>Caveat:</b> single use, not thread-safe.
 */
final class Assembly implements ExprContext {
  /** The largest alignment accepted, and the bound on one fill: keeps a typo from eating memory. */
  private static final long MAX_ALIGNMENT = 1L << 20;
  private static final long MAX_FILL = 1L << 28;
  private static final long MAX_SECTION_SIZE = 1L << 30;
  /**
   * The most statements {@code .rept}/{@code .irp} may produce in one file, nesting included:
   * 4 Mi, far beyond any hand-written routine, so a typo in a count stops with an error instead of
   * running out of memory.
   */
  private static final long MAX_EXPANDED_STATEMENTS = 1L << 22;

  private final String file;
  private final Layout layout;

  private final Map<String, SectionBuilder> sections = new LinkedHashMap<>();
  private SectionBuilder current;
  private SectionBuilder previous;
  private final Deque<SectionBuilder[]> sectionStack = new ArrayDeque<>();

  private final Map<String, SymbolDef> symbols = new LinkedHashMap<>();
  private final Map<Long, List<SymbolDef>> localLabels = new HashMap<>();
  /** Every reference not bound when parsed, in source order (to report the first undefined). */
  private final List<Expr.Ref> unresolved = new ArrayList<>();
  /** Forward references by name, bound by the next definition of that name (as gas does). */
  private final Map<String, List<Expr.Ref>> forwardByName = new HashMap<>();
  private final Set<String> globals = new LinkedHashSet<>();
  private final Map<String, Expr> sizes = new LinkedHashMap<>();
  private final Map<String, SourceLocation> sizeDirectives = new HashMap<>();

  private final List<Item> items = new ArrayList<>();
  private final List<Item.Insn> jumps = new ArrayList<>();

  private SourceLocation pendingLock;
  /** The {@code .rept}/{@code .irp} header the statement just read, until its body is taken. */
  private Repetition pendingRepetition;
  /** How many times the statements being read are assembled: the product of enclosing counts. */
  private long enclosingRepeats = 1;

  Assembly(String file, Layout layout) {
    this.file = file;
    this.layout = layout;
    SourceLocation outside = new SourceLocation(file, 0, 0);
    for (Map.Entry<String, Long> e : layout.externSymbols().entrySet()) {
      symbols.put(e.getKey(), SymbolDef.extern(e.getKey(), e.getValue(), outside));
    }
  }

  AssembledProgram run(String source) {
    current = sectionNamed(".text", new SourceLocation(file, 1, 1));
    statements(SourceScanner.scan(source, file));
    if (pendingLock != null) {
      throw new AsmException(pendingLock, "'lock' prefix at the end of the file",
          "an instruction after 'lock'", "lock");
    }
    resolveReferences();
    relax();
    List<SectionBuilder> placed = layoutSections();
    Evaluator absolute = (section, index) -> section.address + section.offsets[index];
    List<Decoded> decoded = emit(placed, absolute);
    TreeMap<String, Symbol> table = symbolTable(absolute);
    List<Section> out = new ArrayList<>();
    for (SectionBuilder s : placed) {
      out.add(new Section(s.name, s.address, s.bytes, s.maxAlignment, s.alloc, s.write, s.exec));
    }
    decoded.sort(Comparator.comparingLong(Decoded::address));
    List<Instruction> instructions = new ArrayList<>(decoded.size());
    for (int i = 0; i < decoded.size(); i++) {
      instructions.add(decoded.get(i).toInstruction(i));
    }
    return new AssembledProgram(file, out, table, instructions);
  }

  // ------------------------------------------------------------------ statements

  /**
   * Assembles {@code list} in order; a {@code .rept}/{@code .irp} takes the statements up to its
   * {@code .endr} as its body and assembles them once per expansion, recursively (so nested
   * blocks in a body expand in each expansion, after the outer substitution, as in gas).
   */
  private void statements(List<Statement> list) {
    int i = 0;
    while (i < list.size()) {
      statement(new Cursor(file, list.get(i)));
      i++;
      Repetition r = pendingRepetition;
      if (r == null) {
        continue;
      }
      pendingRepetition = null;
      int end = r.findEnd(list, i, file);
      if (end < 0) {
        throw new AsmException(r.loc, "'" + r.directive + "' without a matching '.endr'",
            "'.endr' before the end of the file", r.directive);
      }
      List<Statement> body = list.subList(i, end);
      long outer = enclosingRepeats;
      // Both factors are at most MAX_EXPANDED_STATEMENTS (2^22), so neither product overflows.
      if (outer * r.count() > MAX_EXPANDED_STATEMENTS
          || outer * r.count() * body.size() > MAX_EXPANDED_STATEMENTS) {
        throw new AsmException(r.loc, "repetition expands to more than "
            + MAX_EXPANDED_STATEMENTS + " statements", "a smaller count", r.directive);
      }
      enclosingRepeats = outer * r.count();
      for (int k = 0; k < r.count(); k++) {
        try {
          statements(r.expansion(body, k));
        } catch (AsmException e) {
          throw r.inExpansion(e, k);
        }
      }
      enclosingRepeats = outer;
      i = end + 1;
    }
  }

  private void statement(Cursor c) {
    while (true) {
      if (c.atEnd()) {
        return;
      }
      int p = c.pos;
      char ch = c.raw(0);
      if (Cursor.isDigit(ch)) {
        int q = p;
        while (q < c.text.length() && Cursor.isDigit(c.text.charAt(q))) {
          q++;
        }
        String digits = c.text.substring(p, q);
        c.pos = q;
        if (!c.eat(':')) {
          throw c.error(p, "unexpected number at the start of a statement",
              "a label such as '1:', a directive or an instruction");
        }
        if (digits.length() > 18) {
          throw c.error(p, "numeric label too long", "a local label number below 10^18", digits);
        }
        defineLocalLabel(Long.parseLong(digits), c.loc(p));
        continue;
      }
      if (!Cursor.isIdentStart(ch)) {
        throw c.error(p, "unexpected " + c.describeNext(),
            "a label, a directive or an instruction");
      }
      String name = c.identifier();
      c.skipSpaces();
      if (c.raw(0) == ':') {
        c.pos++;
        defineLabel(name, c.loc(p));
        continue;
      }
      if (c.raw(0) == '=' && c.raw(1) != '=') {
        c.pos++;
        noPendingLock(c.loc(p), name);
        assign(name, c.loc(p), c);
        return;
      }
      if (name.startsWith(".")) {
        noPendingLock(c.loc(p), name);
        directive(name.toLowerCase(Locale.ROOT), p, c);
        return;
      }
      instruction(name, p, c);
      return;
    }
  }

  private void noPendingLock(SourceLocation loc, String near) {
    if (pendingLock != null) {
      throw new AsmException(loc, "'lock' prefix (at " + pendingLock + ") not followed by an "
          + "instruction", "an instruction right after 'lock'", near);
    }
  }

  private void defineLabel(String name, SourceLocation loc) {
    noPendingLock(loc, name + ":");
    SymbolDef old = symbols.get(name);
    if (old != null) {
      throw alreadyDefined(name, loc, old);
    }
    define(SymbolDef.label(name, loc, current));
    current.hasSymbols = true;
  }

  /** Records a definition and binds the forward references waiting for it. */
  private void define(SymbolDef def) {
    symbols.put(def.name, def);
    List<Expr.Ref> waiting = forwardByName.remove(def.name);
    if (waiting != null) {
      for (Expr.Ref r : waiting) {
        r.def = def;
      }
    }
  }

  private void defineLocalLabel(long number, SourceLocation loc) {
    noPendingLock(loc, number + ":");
    localLabels.computeIfAbsent(number, k -> new ArrayList<>())
        .add(SymbolDef.label(Long.toString(number), loc, current));
    current.hasSymbols = true;
  }

  private void assign(String name, SourceLocation loc, Cursor c) {
    Expr e = new ExprParser(c, this, 0, false).parse();
    c.expectEnd("end of line after the expression");
    SymbolDef old = symbols.get(name);
    if (old != null && old.kind == SymbolDef.Kind.EXTERN) {
      throw alreadyDefined(name, loc, old);
    }
    if (old != null && old.kind == SymbolDef.Kind.LABEL) {
      throw new AsmException(loc, "symbol '" + name + "' is already defined as a label (at "
          + old.loc + ")", "a new name", name);
    }
    define(SymbolDef.assignment(name, loc, e));
  }

  private static AsmException alreadyDefined(String name, SourceLocation loc, SymbolDef old) {
    if (old.kind == SymbolDef.Kind.EXTERN) {
      return new AsmException(loc, String.format(Locale.ROOT,
              "symbol '%s' is already defined outside this file (an extern symbol at %#x)", name,
              old.externAddress),
          "a name that the runner does not provide", name);
    }
    return new AsmException(loc, "symbol '" + name + "' is already defined (at " + old.loc + ")",
        "a new name", name);
  }

  // ------------------------------------------------------------------ expression context

  @Override
  public Expr.Ref reference(String name, SourceLocation loc) {
    Expr.Ref r = new Expr.Ref(loc, name, name, 0, 0);
    r.def = symbols.get(name);
    if (r.def == null) {
      unresolved.add(r);
      forwardByName.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
    }
    return r;
  }

  @Override
  public Expr.Ref localReference(long number, boolean forward, SourceLocation loc,
      String spelling) {
    List<SymbolDef> defs = localLabels.get(number);
    int count = defs == null ? 0 : defs.size();
    if (forward) {
      Expr.Ref r = new Expr.Ref(loc, spelling, null, number, count + 1);
      unresolved.add(r);
      return r;
    }
    if (count == 0) {
      throw new AsmException(loc, "no label '" + number + ":' before this reference",
          "a '" + number + ":' label earlier in the file", spelling);
    }
    Expr.Ref r = new Expr.Ref(loc, spelling, null, number, count);
    r.def = defs.get(count - 1);
    return r;
  }

  @Override
  public Expr.Dot dot(SourceLocation loc, long delta) {
    return new Expr.Dot(loc, current, current.items.size(), delta, current.fragId,
        current.fragOffset);
  }

  // ------------------------------------------------------------------ instructions

  private void instruction(String name, int p, Cursor c) {
    SourceLocation loc = c.loc(p);
    SourceLocation mnemonicLoc = loc;
    String spelling = name.toLowerCase(Locale.ROOT);
    blankAfterMnemonic(c, p + name.length());
    boolean lock = false;
    boolean lockStatement = false;
    SourceLocation lockLoc = null;
    if (spelling.equals("lock")) {
      if (pendingLock != null) {
        throw c.error(p, "duplicate 'lock' prefix", "one 'lock' per instruction", "lock");
      }
      if (c.atEnd()) {
        pendingLock = loc;
        return;
      }
      if (!c.atIdentifier()) {
        throw c.error(c.pos, "unexpected " + c.describeNext() + " after 'lock'",
            "an instruction after 'lock'");
      }
      lock = true;
      lockLoc = loc;
      c.skipSpaces();
      int mp = c.pos;
      spelling = c.identifier().toLowerCase(Locale.ROOT);
      mnemonicLoc = c.loc(mp);
      blankAfterMnemonic(c, c.pos);
      if (spelling.equals("lock")) {
        throw c.error(mp, "duplicate 'lock' prefix", "one 'lock' per instruction", "lock");
      }
    } else if (pendingLock != null) {
      lock = true;
      lockStatement = true;
      lockLoc = pendingLock;
      pendingLock = null;
    }
    Mnemonic m = Mnemonic.lookup(spelling);
    if (m == null) {
      throw unknownMnemonic(spelling, mnemonicLoc);
    }
    boolean branch = m.family == Mnemonic.Family.CALL || m.family == Mnemonic.Family.JMP;
    List<AsmOperand> ops = new ArrayList<>(3);
    if (!c.atEnd()) {
      do {
        ops.add(OperandParser.parse(c, this, branch));
      } while (c.eat(','));
      c.expectEnd("',' or the end of the operands");
    }
    StringBuilder text = new StringBuilder();
    if (lock) {
      text.append("lock ");
    }
    text.append(spelling);
    for (int i = 0; i < ops.size(); i++) {
      text.append(i == 0 ? " " : ", ").append(ops.get(i).text);
    }
    // The instruction starts at 'lock' when both are one statement, else at its mnemonic.
    SourceLocation start = lock && !lockStatement ? lockLoc : mnemonicLoc;
    Item.Insn insn = InstructionEncoder.encode(m, ops, start, mnemonicLoc, text.toString(), lock,
        lockLoc, lockStatement);
    add(insn, spelling);
    if (insn.isDirectJump()) {
      jumps.add(insn);
    }
  }

  /** gas needs a blank between a mnemonic and its operands ({@code orl%ebx} is one bad word). */
  private static void blankAfterMnemonic(Cursor c, int end) {
    if (end < c.text.length() && !Cursor.isSpace(c.text.charAt(end))) {
      throw c.error(end, "invalid character '" + c.text.charAt(end) + "' in mnemonic",
          "a blank between the mnemonic and its operands");
    }
  }

  private static AsmException unknownMnemonic(String spelling, SourceLocation loc) {
    if (spelling.startsWith("rep")) {
      return new AsmException(loc,
          "'" + spelling + "': rep prefixes and string instructions are not supported",
          "an instruction of the supported x86-64 subset (see Assembler)", spelling);
    }
    char last = spelling.charAt(spelling.length() - 1);
    Mnemonic base = spelling.length() > 1 && "bwlq".indexOf(last) >= 0
        ? Mnemonic.lookup(spelling.substring(0, spelling.length() - 1)) : null;
    if (base != null) {
      return new AsmException(loc, "invalid size suffix '" + last + "' for '" + base.spelling
          + "'", base.spelling + " with one of its suffixes, or no suffix", spelling);
    }
    return new AsmException(loc, "unknown or unsupported instruction '" + spelling + "'",
        "an instruction of the supported x86-64 subset (see Assembler)", spelling);
  }

  private void add(Item item, String near) {
    if (current.nobits && item.hasContents()) {
      throw new AsmException(item.loc, "contents in the zero-filled section '" + current.name + "'",
          "only labels, .zero/.skip/.space and alignment in a @nobits section", near);
    }
    current.add(item);
    items.add(item);
  }

  // ------------------------------------------------------------------ directives

  private void directive(String name, int p, Cursor c) {
    SourceLocation loc = c.loc(p);
    switch (name) {
      case ".byte":
        data(1, loc, c);
        return;
      case ".short":
      case ".word":
      case ".hword":
      case ".value":
      case ".2byte":
        data(2, loc, c);
        return;
      case ".long":
      case ".int":
      case ".4byte":
        data(4, loc, c);
        return;
      case ".quad":
      case ".8byte":
        data(8, loc, c);
        return;
      case ".zero":
        fill(loc, c, false);
        return;
      case ".skip":
      case ".space":
        fill(loc, c, true);
        return;
      case ".ascii":
        strings(loc, c, false);
        return;
      case ".asciz":
      case ".string":
        strings(loc, c, true);
        return;
      case ".balign":
      case ".align":
        align(loc, c, false);
        return;
      case ".p2align":
        align(loc, c, true);
        return;
      case ".globl":
      case ".global":
        do {
          globals.add(c.expectIdentifier("a symbol name"));
        } while (c.eat(','));
        c.expectEnd("',' or end of line");
        return;
      case ".extern":
        // gas accepts and ignores it: an undefined symbol is external anyway. Here a symbol the
        // file does not define must be a Layout extern, or assembly stops at its first use.
        do {
          c.expectIdentifier("a symbol name");
        } while (c.eat(','));
        c.expectEnd("',' or end of line");
        return;
      case ".type":
        type(c);
        return;
      case ".size":
        size(loc, c);
        return;
      case ".set":
      case ".equ": {
        String sym = c.expectIdentifier("a symbol name");
        c.expect(',', "',' after the symbol name");
        assign(sym, loc, c);
        return;
      }
      case ".section":
        section(loc, c, false);
        return;
      case ".pushsection":
        section(loc, c, true);
        return;
      case ".popsection":
        c.expectEnd("end of line after .popsection");
        if (sectionStack.isEmpty()) {
          throw c.error(p, ".popsection without a matching .pushsection",
              "a .pushsection earlier", ".popsection");
        }
        SectionBuilder[] top = sectionStack.pop();
        current = top[0];
        previous = top[1];
        return;
      case ".previous": {
        c.expectEnd("end of line after .previous");
        if (previous == null) {
          throw c.error(p, ".previous with no previous section", "an earlier section switch",
              ".previous");
        }
        SectionBuilder t = current;
        current = previous;
        previous = t;
        return;
      }
      case ".text":
      case ".data":
      case ".bss":
      case ".rodata":
        c.expectEnd("end of line (subsections are not supported)");
        switchTo(sectionNamed(name, loc));
        return;
      case ".reloc":
        reloc(c);
        return;
      case ".rept": {
        c.skipSpaces();
        int q = c.pos;
        long count = constant(c, "a repeat count");
        c.expectEnd("end of line after the repeat count");
        if (count < 0 || count > MAX_EXPANDED_STATEMENTS) {
          throw c.error(q, "repeat count " + count + " out of range",
              "a count from 0 to " + MAX_EXPANDED_STATEMENTS);
        }
        pendingRepetition = Repetition.rept(loc, count);
        return;
      }
      case ".irp":
        pendingRepetition = Repetition.irp(loc, c);
        return;
      case ".endr":
        throw c.error(p, "'.endr' without a matching '.rept' or '.irp'",
            "a '.rept' or '.irp' before it", ".endr");
      case ".file":
      case ".ident":
      case ".loc":
      case ".hidden":
        // Debug and object-file metadata with no effect on a static image's memory.
        return;
      default:
        if (name.startsWith(".cfi_")) {
          return; // unwind tables are not part of the simulated image
        }
        throw new AsmException(loc, "unknown or unsupported directive '" + name + "'",
            "a directive of the supported subset (see Assembler)", name);
    }
  }

  private void data(int width, SourceLocation loc, Cursor c) {
    List<Expr> values = new ArrayList<>();
    long delta = 0;
    do {
      values.add(new ExprParser(c, this, delta, false).parse());
      delta += width;
    } while (c.eat(','));
    c.expectEnd("',' or end of line");
    add(new Item.Data(loc, width, values), c.nearText(0));
  }

  private void fill(SourceLocation loc, Cursor c, boolean fillAllowed) {
    long count = constant(c, "a byte count");
    if (count < 0 || count > MAX_FILL) {
      throw new AsmException(loc, "byte count " + count + " out of range",
          "a count from 0 to " + MAX_FILL, c.nearText(0));
    }
    int fill = 0;
    if (fillAllowed && c.eat(',')) {
      fill = fillByte(c);
    }
    c.expectEnd(fillAllowed ? "',' fill or end of line" : "end of line");
    add(new Item.Fill(loc, (int) count, fill), c.nearText(0));
  }

  private int fillByte(Cursor c) {
    c.skipSpaces();
    int p = c.pos;
    long v = constant(c, "a fill byte");
    if (v < Byte.MIN_VALUE || v > 255) {
      throw c.error(p, "fill value " + v + " does not fit in a byte", "a value from -128 to 255");
    }
    return (int) (v & 0xFF);
  }

  /** A parse-time constant expression. */
  private long constant(Cursor c, String what) {
    c.skipSpaces();
    int p = c.pos;
    Fold f = new ExprParser(c, this, 0, false).parse().fold();
    if (!f.isConst()) {
      throw c.error(p, "expression is not a constant here", what + " known when it is read");
    }
    return f.value;
  }

  private void strings(SourceLocation loc, Cursor c, boolean terminate) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    do {
      c.skipSpaces();
      if (c.raw(0) != '"') {
        throw c.error(c.pos, "unexpected " + c.describeNext(), "a string in double quotes");
      }
      stringLiteral(c, out);
      if (terminate) {
        out.write(0);
      }
    } while (c.eat(','));
    c.expectEnd("',' or end of line");
    add(new Item.Bytes(loc, out.toByteArray()), c.nearText(0));
  }

  /** A gas string literal with its escapes (gas manual, "Strings"). */
  private static void stringLiteral(Cursor c, ByteArrayOutputStream out) {
    int start = c.pos;
    c.pos++;
    String t = c.text;
    while (true) {
      if (c.pos >= t.length()) {
        throw c.error(start, "missing end-quote of string literal", "'\"'");
      }
      char ch = t.charAt(c.pos++);
      if (ch == '"') {
        return;
      }
      if (ch != '\\') {
        byte[] b = String.valueOf(ch).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        continue;
      }
      if (c.pos >= t.length()) {
        throw c.error(start, "missing end-quote of string literal", "'\"'");
      }
      char e = t.charAt(c.pos++);
      switch (e) {
        case 'b':
          out.write(8);
          break;
        case 'f':
          out.write(12);
          break;
        case 'n':
          out.write(10);
          break;
        case 'r':
          out.write(13);
          break;
        case 't':
          out.write(9);
          break;
        case 'v':
          out.write(11);
          break;
        case '\\':
        case '"':
        case '\'':
          out.write(e);
          break;
        case 'x':
        case 'X': {
          int v = 0;
          int n = 0;
          while (c.pos < t.length() && Character.digit(t.charAt(c.pos), 16) >= 0
              && t.charAt(c.pos) < 128) {
            v = (v * 16 + Character.digit(t.charAt(c.pos), 16)) & 0xFF;
            c.pos++;
            n++;
          }
          if (n == 0) {
            throw c.error(c.pos - 2, "\\x without hex digits", "\\x followed by hex digits");
          }
          out.write(v);
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int k = 0; k < 2 && c.pos < t.length() && t.charAt(c.pos) >= '0'
                && t.charAt(c.pos) <= '7'; k++) {
              v = v * 8 + (t.charAt(c.pos++) - '0');
            }
            out.write(v & 0xFF);
          } else {
            throw c.error(c.pos - 2, "unknown escape '\\" + e + "' in string",
                "\\b \\f \\n \\r \\t \\v \\\\ \\\" \\NNN (octal) or \\xHH");
          }
      }
    }
  }

  private void align(SourceLocation loc, Cursor c, boolean power) {
    c.skipSpaces();
    int p = c.pos;
    long a = constant(c, "an alignment");
    long alignment;
    if (power) {
      if (a < 0 || a > 63 || (1L << a) > MAX_ALIGNMENT) {
        throw c.error(p, "alignment 2^" + a + " out of range", "a power from 0 to 20");
      }
      alignment = 1L << a;
    } else {
      alignment = a == 0 ? 1 : a;
      if (alignment < 0 || Long.bitCount(alignment) != 1 || alignment > MAX_ALIGNMENT) {
        throw c.error(p, "alignment " + a + " is not a power of 2 up to " + MAX_ALIGNMENT,
            "a power of 2 (x86 .align counts bytes, like .balign)");
      }
    }
    Integer fill = null;
    long max = Long.MAX_VALUE;
    if (c.eat(',')) {
      c.skipSpaces();
      if (c.raw(0) != ',' && !c.atEnd()) {
        fill = fillByte(c);
      }
      if (c.eat(',')) {
        c.skipSpaces();
        int q = c.pos;
        max = constant(c, "a maximum skip");
        if (max < 0) {
          throw c.error(q, "negative maximum skip", "a byte count >= 0");
        }
      }
    }
    c.expectEnd("end of line after the alignment");
    boolean code = current.exec && (fill == null || fill == 0x90);
    current.maxAlignment = (int) Math.max(current.maxAlignment, alignment);
    add(new Item.Align(loc, (int) alignment, fill == null ? 0 : fill, max, code), c.nearText(0));
  }

  private void type(Cursor c) {
    c.expectIdentifier("a symbol name");
    c.expect(',', "',' after the symbol name");
    c.skipSpaces();
    int p = c.pos;
    char ch = c.raw(0);
    String type;
    if (ch == '@' || ch == '%') {
      c.pos++;
      type = c.expectIdentifier("a symbol type such as @function");
    } else if (ch == '"') {
      int end = c.text.indexOf('"', p + 1);
      if (end < 0) {
        throw c.error(p, "missing end-quote", "'\"'");
      }
      type = c.text.substring(p + 1, end);
      c.pos = end + 1;
    } else {
      type = c.expectIdentifier("a symbol type such as @function");
    }
    switch (type.toLowerCase(Locale.ROOT)) {
      case "function":
      case "object":
      case "notype":
      case "stt_func":
      case "stt_object":
      case "stt_notype":
        break;
      default:
        throw c.error(p, "unsupported symbol type '" + type + "'",
            "@function, @object or @notype");
    }
    c.expectEnd("end of line after the symbol type");
  }

  private void size(SourceLocation loc, Cursor c) {
    String sym = c.expectIdentifier("a symbol name");
    c.expect(',', "',' after the symbol name");
    Expr e = new ExprParser(c, this, 0, false).parse();
    c.expectEnd("end of line after the size");
    sizes.put(sym, e);
    sizeDirectives.put(sym, loc);
  }

  private void reloc(Cursor c) {
    // .reloc OFFSET, TYPE[, EXPR]: TCMalloc writes `.reloc 0, R_X86_64_NONE, 1f` so that the
    // linker keeps an otherwise unreferenced array alive under --gc-sections. A static image
    // without section garbage collection has nothing to keep alive, so the directive is checked
    // for syntax (its symbols must exist) and has no other effect.
    new ExprParser(c, this, 0, false).parse();
    c.expect(',', "',' after the offset");
    c.skipSpaces();
    if (c.atIdentifier()) {
      c.identifier();
    } else {
      new ExprParser(c, this, 0, false).parse();
    }
    if (c.eat(',')) {
      new ExprParser(c, this, 0, false).parse();
    }
    c.expectEnd("end of line after .reloc");
  }

  // ------------------------------------------------------------------ sections

  private void section(SourceLocation loc, Cursor c, boolean push) {
    c.skipSpaces();
    int p = c.pos;
    String name;
    if (c.raw(0) == '"') {
      int end = c.text.indexOf('"', p + 1);
      if (end < 0) {
        throw c.error(p, "missing end-quote of section name", "'\"'");
      }
      name = c.text.substring(p + 1, end);
      c.pos = end + 1;
    } else {
      int q = p;
      while (q < c.text.length() && c.text.charAt(q) != ',' && !Cursor.isSpace(c.text.charAt(q))) {
        q++;
      }
      name = c.text.substring(p, q);
      c.pos = q;
    }
    if (name.isEmpty()) {
      throw c.error(p, "missing section name", "a section name such as __rseq_cs");
    }
    String flags = null;
    Boolean nobits = null;
    if (c.eat(',')) {
      c.skipSpaces();
      int fp = c.pos;
      if (c.raw(0) != '"') {
        throw c.error(fp, "unexpected " + c.describeNext(), "section flags in quotes, e.g. \"aw\"");
      }
      int end = c.text.indexOf('"', fp + 1);
      if (end < 0) {
        throw c.error(fp, "missing end-quote of section flags", "'\"'");
      }
      flags = c.text.substring(fp + 1, end);
      c.pos = end + 1;
      boolean merge = false;
      for (int i = 0; i < flags.length(); i++) {
        char f = flags.charAt(i);
        if (f == 'T') {
          throw c.error(fp, "TLS sections are not supported", "flags from a, w, x, M, S");
        }
        if (f == 'M') {
          merge = true;
        }
        if ("awxMS".indexOf(f) < 0) {
          throw c.error(fp, "unsupported section flag '" + f + "'", "flags from a, w, x, M, S");
        }
      }
      if (c.eat(',')) {
        c.skipSpaces();
        int tp = c.pos;
        if (c.raw(0) != '@' && c.raw(0) != '%') {
          throw c.error(tp, "unexpected " + c.describeNext(), "@progbits or @nobits");
        }
        c.pos++;
        String type = c.expectIdentifier("@progbits or @nobits").toLowerCase(Locale.ROOT);
        if (type.equals("nobits")) {
          nobits = true;
        } else if (type.equals("progbits")) {
          nobits = false;
        } else {
          throw c.error(tp, "unsupported section type '@" + type + "'", "@progbits or @nobits");
        }
        if (merge && c.eat(',')) {
          constant(c, "an entry size");
        }
      }
    }
    c.expectEnd("end of line after the section (groups are not supported)");
    SectionBuilder s = sections.get(name);
    if (s == null) {
      s = sectionNamed(name, loc);
      if (flags != null) {
        s.alloc = flags.indexOf('a') >= 0;
        s.write = flags.indexOf('w') >= 0;
        s.exec = flags.indexOf('x') >= 0;
      }
      if (nobits != null) {
        s.nobits = nobits;
      }
    } else if ((flags != null && (s.alloc != (flags.indexOf('a') >= 0)
            || s.write != (flags.indexOf('w') >= 0) || s.exec != (flags.indexOf('x') >= 0)))
        || (nobits != null && nobits != s.nobits)) {
      throw new AsmException(loc, "section '" + name + "' reopened with different attributes",
          "the flags it was first given (at " + s.firstUse + ")", c.nearText(0));
    }
    if (push) {
      sectionStack.push(new SectionBuilder[] {current, previous});
    }
    switchTo(s);
  }

  private void switchTo(SectionBuilder s) {
    if (s != current) {
      previous = current;
      current = s;
    }
  }

  /**
   * The section {@code name}, created on first use with gas's default attributes for that name
   * (binutils {@code gas/config/obj-elf.c}, special sections): {@code .text*} "ax", {@code .data*}
   * "aw", {@code .bss*} "aw" @nobits, {@code .rodata*} "a", any other name none.
   */
  private SectionBuilder sectionNamed(String name, SourceLocation loc) {
    SectionBuilder s = sections.get(name);
    if (s != null) {
      return s;
    }
    boolean text = isFamily(name, ".text");
    boolean data = isFamily(name, ".data");
    boolean bss = isFamily(name, ".bss");
    boolean rodata = isFamily(name, ".rodata");
    if (isFamily(name, ".tdata") || isFamily(name, ".tbss")) {
      throw new AsmException(loc, "TLS sections are not supported", "a non-TLS section", name);
    }
    s = new SectionBuilder(name, sections.size(), loc, text || data || bss || rodata,
        data || bss, text, bss);
    sections.put(name, s);
    return s;
  }

  private static boolean isFamily(String name, String prefix) {
    return name.equals(prefix) || name.startsWith(prefix + ".");
  }

  // ------------------------------------------------------------------ resolution and layout

  private void resolveReferences() {
    for (Expr.Ref r : unresolved) {
      if (r.name != null) {
        if (r.def == null) {
          throw new AsmException(r.loc, "undefined symbol '" + r.name + "'",
              "a label or .set/.equ of '" + r.name + "' in this file", r.name);
        }
      } else {
        List<SymbolDef> defs = localLabels.get(r.localNumber);
        if (defs == null || defs.size() < r.localInstance) {
          throw new AsmException(r.loc, "no label '" + r.localNumber + ":' after this reference",
              "a '" + r.localNumber + ":' label later in the file", r.spelling);
        }
        r.def = defs.get(r.localInstance - 1);
      }
    }
    for (String g : globals) {
      SymbolDef d = symbols.get(g);
      if (d != null) {
        d.global = true;
      }
    }
    for (Map.Entry<String, Expr> e : sizes.entrySet()) {
      SymbolDef d = symbols.get(e.getKey());
      if (d == null || d.kind == SymbolDef.Kind.EXTERN) {
        throw new AsmException(sizeDirectives.get(e.getKey()),
            (d == null ? ".size of undefined symbol '" : ".size of extern symbol '") + e.getKey()
                + "'", "a symbol defined in this file", e.getKey());
      }
      d.sizeExpr = e.getValue();
    }
  }

  /**
   * Branch relaxation as gas does it: a direct jmp/jcc to its own section starts short (rel8);
   * any whose target is out of range grows to rel32; repeat until nothing grows. Growing only
   * ever lengthens code, so the loop ends, with every branch as short as it can be.
   */
  private void relax() {
    for (SectionBuilder s : sections.values()) {
      s.computeOffsets();
    }
    Evaluator offsets = (section, index) -> section.offsets[index];
    List<Item.Insn> relaxable = new ArrayList<>();
    for (Item.Insn j : jumps) {
      Value t = j.encoding.target.eval(offsets);
      if (t.section() == j.section) {
        j.encoding.relaxable = true;
        relaxable.add(j);
      } else {
        j.encoding.growBranch();
      }
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (SectionBuilder s : sections.values()) {
        s.computeOffsets();
      }
      for (Item.Insn j : relaxable) {
        if (!j.encoding.isShortBranch()) {
          continue;
        }
        long next = j.section.offsets[j.index] + j.encoding.length();
        long disp = j.encoding.target.eval(offsets).value() - next;
        if (disp < Byte.MIN_VALUE || disp > Byte.MAX_VALUE) {
          j.encoding.growBranch();
          changed = true;
        }
      }
    }
  }

  private List<SectionBuilder> layoutSections() {
    List<SectionBuilder> placed = new ArrayList<>();
    long cursor = layout.textAddress();
    for (SectionBuilder s : sections.values()) {
      if (s.size() == 0 && !s.hasSymbols && !s.name.equals(".text")) {
        // Not part of the image; an address anyway, for any '.' evaluated in it.
        s.address = (cursor + layout.sectionAlignment() - 1) & -layout.sectionAlignment();
        continue;
      }
      OptionalLong pinned = layout.pinnedAddress(s.name);
      long address;
      if (pinned.isPresent()) {
        address = pinned.getAsLong();
        if ((address & (s.maxAlignment - 1)) != 0) {
          throw new AsmException(s.firstUse, String.format(Locale.ROOT,
                  "section '%s' needs %d-byte alignment but the layout pins it at %#x", s.name,
                  s.maxAlignment, address),
              "a layout address aligned to " + s.maxAlignment, s.name);
        }
      } else {
        long align = Math.max(layout.sectionAlignment(), s.maxAlignment);
        address = (cursor + align - 1) & -align;
      }
      s.address = address;
      cursor = address + s.size();
      placed.add(s);
    }
    List<SectionBuilder> byAddress = new ArrayList<>(placed);
    byAddress.sort(Comparator.comparingLong(s -> s.address));
    for (int i = 1; i < byAddress.size(); i++) {
      SectionBuilder a = byAddress.get(i - 1);
      SectionBuilder b = byAddress.get(i);
      long page = layout.sectionAlignment();
      long aEnd = (a.address + a.size() + page - 1) & -page;
      if (a.size() > 0 && b.size() > 0 && aEnd > b.address) {
        throw new AsmException(b.firstUse, String.format(Locale.ROOT,
                "section '%s' at %#x overlaps the pages of section '%s' (%#x..%#x)", b.name,
                b.address, a.name, a.address, a.address + a.size()),
            "a layout that gives each section its own pages", b.name);
      }
    }
    return placed;
  }

  private List<Decoded> emit(List<SectionBuilder> placed, Evaluator absolute) {
    for (SectionBuilder s : placed) {
      if (s.size() > MAX_SECTION_SIZE) {
        throw new AsmException(s.firstUse, "section '" + s.name + "' is " + s.size() + " bytes",
            "at most " + MAX_SECTION_SIZE + " bytes per section", s.name);
      }
      s.bytes = new byte[(int) s.size()];
    }
    List<Decoded> decoded = new ArrayList<>();
    for (Item item : items) {
      SectionBuilder s = item.section;
      long offset = s.offsets[item.index];
      item.emit(s.bytes, (int) offset, s.address + offset, absolute, decoded);
    }
    return decoded;
  }

  private TreeMap<String, Symbol> symbolTable(Evaluator absolute) {
    TreeMap<String, Symbol> table = new TreeMap<>();
    for (SymbolDef d : symbols.values()) {
      if (d.kind == SymbolDef.Kind.EXTERN) {
        table.put(d.name, new Symbol(d.name, d.externAddress, null, true, 0));
        continue;
      }
      Value v = d.value(absolute);
      long size = 0;
      if (d.sizeExpr != null) {
        Value sv = d.sizeExpr.eval(absolute);
        if (!sv.isAbsolute()) {
          throw d.sizeExpr.error(".size of '" + d.name + "' is an address", "a byte count");
        }
        size = sv.value();
      }
      table.put(d.name, new Symbol(d.name, v.value(),
          v.section() == null ? null : v.section().name, d.global, size));
    }
    return table;
  }
}
