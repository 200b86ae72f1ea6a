package org.vcpusim.cpu.asm;

import java.util.Locale;
import org.vcpusim.cpu.isa.SourceLocation;

/**
 * A GNU as expression tree: numbers, symbol references (named or numeric local {@code 1f}/{@code
 * 1b}), the location counter {@code .}, unary and binary operators with gas semantics (gas manual,
 * "Infix Operators": {@code * / % << >>} bind tighter than {@code & | ^}, which bind tighter than
 * {@code + -}, then comparisons (true is -1), {@code &&}, {@code ||}; division truncates toward
 * zero, {@code >>} is a logical shift).
 *
 * <p>Two evaluations exist: {@link #fold()} at parse time (what gas knows then, which decides
 * encodings) and {@link #eval(Evaluator)} after layout (the final value).
 */
abstract class Expr {
  final SourceLocation loc;
  /** The source text of a top-level expression, for messages; null for inner nodes. */
  String text;

  Expr(SourceLocation loc) {
    this.loc = loc;
  }

  abstract Value eval(Evaluator ev);

  abstract Fold fold();

  /** The text to quote in an error about this expression. */
  String near() {
    return text;
  }

  AsmException error(String problem, String expected) {
    return new AsmException(loc, problem, expected, near());
  }

  /** The binary operators, in gas precedence classes (higher binds tighter). */
  enum Op {
    MUL("*", 6),
    DIV("/", 6),
    MOD("%", 6),
    SHL("<<", 6),
    SHR(">>", 6),
    AND("&", 5),
    OR("|", 5),
    XOR("^", 5),
    ADD("+", 4),
    SUB("-", 4),
    EQ("==", 3),
    NE("!=", 3),
    LT("<", 3),
    LE("<=", 3),
    GT(">", 3),
    GE(">=", 3),
    LAND("&&", 2),
    LOR("||", 1);

    final String symbol;
    final int precedence;

    Op(String symbol, int precedence) {
      this.symbol = symbol;
      this.precedence = precedence;
    }
  }

  /** A number. */
  static final class Num extends Expr {
    final long value;

    Num(SourceLocation loc, long value) {
      super(loc);
      this.value = value;
    }

    @Override
    Value eval(Evaluator ev) {
      return Value.absolute(value);
    }

    @Override
    Fold fold() {
      return Fold.constant(value);
    }
  }

  /**
   * A reference to a symbol or a numeric local label. Bound to its definition at parse time when
   * the definition precedes it (a backward reference, or a name already set), otherwise by the
   * assembler once the whole source is read.
   */
  static final class Ref extends Expr {
    /** As written, e.g. {@code foo} or {@code 1f}. */
    final String spelling;
    /** The symbol name, or null for a numeric local label. */
    final String name;
    /** For a numeric local label: its number and which definition of it (1-based) is meant. */
    final long localNumber;
    final int localInstance;
    SymbolDef def;

    Ref(SourceLocation loc, String spelling, String name, long localNumber, int localInstance) {
      super(loc);
      this.spelling = spelling;
      this.name = name;
      this.localNumber = localNumber;
      this.localInstance = localInstance;
    }

    @Override
    String near() {
      return spelling;
    }

    @Override
    Value eval(Evaluator ev) {
      return def.value(ev);
    }

    @Override
    Fold fold() {
      return def == null ? Fold.UNKNOWN : def.fold();
    }
  }

  /** The location counter {@code .}: the position where the current statement's output starts. */
  static final class Dot extends Expr {
    final SectionBuilder section;
    final int itemIndex;
    final long delta;
    final int frag;
    final long fragOffset;

    Dot(SourceLocation loc, SectionBuilder section, int itemIndex, long delta, int frag,
        long fragOffset) {
      super(loc);
      this.section = section;
      this.itemIndex = itemIndex;
      this.delta = delta;
      this.frag = frag;
      this.fragOffset = fragOffset;
    }

    @Override
    Value eval(Evaluator ev) {
      return new Value(ev.position(section, itemIndex) + delta, section);
    }

    @Override
    Fold fold() {
      return Fold.position(section, frag, fragOffset + delta);
    }
  }

  /** Unary {@code - + ~ !}. */
  static final class Unary extends Expr {
    final char op;
    final Expr operand;

    Unary(SourceLocation loc, char op, Expr operand) {
      super(loc);
      this.op = op;
      this.operand = operand;
    }

    @Override
    Value eval(Evaluator ev) {
      Value v = operand.eval(ev);
      if (op == '+') {
        return v;
      }
      if (!v.isAbsolute()) {
        throw new AsmException(
            loc,
            "operator '" + op + "' cannot be applied to an address",
            "an absolute value",
            String.valueOf(op));
      }
      return Value.absolute(apply(v.value()));
    }

    private long apply(long v) {
      switch (op) {
        case '-':
          return -v;
        case '~':
          return ~v;
        case '!':
          return v == 0 ? 1 : 0;
        default:
          return v;
      }
    }

    @Override
    Fold fold() {
      Fold f = operand.fold();
      if (op == '+') {
        return f;
      }
      return f.isConst() ? Fold.constant(apply(f.value)) : Fold.UNKNOWN;
    }
  }

  /** A binary operator. */
  static final class Binary extends Expr {
    final Op op;
    final Expr left;
    final Expr right;

    Binary(SourceLocation loc, Op op, Expr left, Expr right) {
      super(loc);
      this.op = op;
      this.left = left;
      this.right = right;
    }

    @Override
    String near() {
      return op.symbol;
    }

    @Override
    Value eval(Evaluator ev) {
      Value a = left.eval(ev);
      Value b = right.eval(ev);
      if (op == Op.ADD) {
        if (!a.isAbsolute() && !b.isAbsolute()) {
          throw error("cannot add two addresses", "an address plus a constant");
        }
        return new Value(a.value() + b.value(), a.isAbsolute() ? b.section() : a.section());
      }
      if (op == Op.SUB) {
        if (b.isAbsolute()) {
          return new Value(a.value() - b.value(), a.section());
        }
        if (a.isAbsolute()) {
          throw error("cannot subtract an address from a constant", "address - constant");
        }
        if (a.section() != b.section()) {
          throw error(
              "cannot subtract addresses in different sections ("
                  + a.section().name
                  + " and "
                  + b.section().name
                  + ")",
              "two positions in the same section");
        }
        return Value.absolute(a.value() - b.value());
      }
      if (!a.isAbsolute() || !b.isAbsolute()) {
        throw error(
            "operator '" + op.symbol + "' cannot be applied to an address", "absolute operands");
      }
      if ((op == Op.DIV || op == Op.MOD) && b.value() == 0) {
        throw error("division by zero", "a non-zero divisor");
      }
      if ((op == Op.SHL || op == Op.SHR) && (b.value() < 0 || b.value() > 63)) {
        throw error(
            String.format(Locale.ROOT, "shift count %d out of range", b.value()), "0 to 63");
      }
      return Value.absolute(apply(op, a.value(), b.value()));
    }

    @Override
    Fold fold() {
      Fold a = left.fold();
      Fold b = right.fold();
      if (a.isConst() && b.isConst()) {
        if (((op == Op.DIV || op == Op.MOD) && b.value == 0)
            || ((op == Op.SHL || op == Op.SHR) && (b.value < 0 || b.value > 63))) {
          return Fold.UNKNOWN;
        }
        return Fold.constant(apply(op, a.value, b.value));
      }
      if (op == Op.ADD && a.kind == Fold.Kind.REL && b.isConst()) {
        return a.plus(b.value);
      }
      if (op == Op.ADD && a.isConst() && b.kind == Fold.Kind.REL) {
        return b.plus(a.value);
      }
      if (op == Op.SUB && a.kind == Fold.Kind.REL && b.isConst()) {
        return a.plus(-b.value);
      }
      if (op == Op.SUB
          && a.kind == Fold.Kind.REL
          && b.kind == Fold.Kind.REL
          && a.section == b.section
          && a.frag == b.frag) {
        return Fold.constant(a.value - b.value);
      }
      return Fold.UNKNOWN;
    }

    static long apply(Op op, long a, long b) {
      switch (op) {
        case MUL:
          return a * b;
        case DIV:
          return a / b;
        case MOD:
          return a % b;
        case SHL:
          return a << b;
        case SHR:
          return a >>> b;
        case AND:
          return a & b;
        case OR:
          return a | b;
        case XOR:
          return a ^ b;
        case ADD:
          return a + b;
        case SUB:
          return a - b;
        case EQ:
          return a == b ? -1 : 0;
        case NE:
          return a != b ? -1 : 0;
        case LT:
          return a < b ? -1 : 0;
        case LE:
          return a <= b ? -1 : 0;
        case GT:
          return a > b ? -1 : 0;
        case GE:
          return a >= b ? -1 : 0;
        case LAND:
          return (a != 0 && b != 0) ? 1 : 0;
        case LOR:
          return (a != 0 || b != 0) ? 1 : 0;
        default:
          throw new IllegalStateException(op.toString());
      }
    }
  }
}
