#!/usr/bin/env python3
"""Records golden data for AssemblerGoldenTest from GNU as and ld (run once, by hand; the tests
only read the recorded files, so they need no toolchain).

For each sample X.s in src/test/resources/asm/ it writes golden/X.golden with:
  section NAME ADDRESS SIZE HEXBYTES   final contents after a static link at the addresses the
                                       assembler's default Layout gives (.text at 0x401000, each
                                       further section, in order of first appearance, at the next
                                       page boundary or its own larger alignment)
  symbol NAME VALUE                    every symbol of the source that the linked image keeps
  insn LINE START END                  the bytes the instruction(s) of source line LINE occupy
  repeated LINE                        line LINE holds instructions of a .rept/.irp body (or of a
                                       one-line block): assembled any number of times, so it gets
                                       no insn row; its bytes are checked through the section

Instruction extents come from instrumenting a copy of the source: each line holding an
instruction is wrapped as `__gs_N: <line> ; __ge_N:` (a `lock` alone on a line is joined to the
next instruction). Labels emit no bytes and do not change gas's encoding choices. Comments are
removed first (gas takes // only at the start of a line; the assembler takes it anywhere); block
comments must not span lines in the samples.

Usage: python3 asm_golden.py [sample.s ...]   (default: every sample listed below)
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.path.normpath(os.path.join(HERE, "..", "resources", "asm"))
SAMPLES = ["encoding-corpus.s", "rseq-descriptor.s", "tcmalloc-pop.s", "librseq-counter.s",
           "code-padding.s", "repeat.s"]
TEXT_ADDRESS = 0x401000
PAGE = 4096
LABEL = re.compile(r"^\s*(?:[A-Za-z_.][\w.$]*|\d+)\s*:(?!:)")


def run(*cmd, cwd=None):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if p.returncode != 0 or p.stderr.strip():
        sys.exit("command failed: %s\n%s%s" % (" ".join(cmd), p.stdout, p.stderr))
    return p.stdout


def strip_comment(line):
    out, in_str, i = [], False, 0
    while i < len(line):
        c = line[i]
        if in_str:
            out.append(c)
            if c == "\\" and i + 1 < len(line):
                out.append(line[i + 1])
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
            out.append(c)
        elif c == "#" or line.startswith("//", i):
            break
        else:
            out.append(c)
        i += 1
    return re.sub(r"/\*.*?\*/", " ", "".join(out)).rstrip()


def statements(line):
    parts, cur, in_str = [], [], False
    for c in line:
        if c == '"':
            in_str = not in_str
        if c == ";" and not in_str:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    parts.append("".join(cur))
    return parts


def body(stmt):
    s = stmt
    while True:
        m = LABEL.match(s)
        if not m:
            return s.strip()
        s = s[m.end():]


def is_instruction(stmt):
    b = body(stmt)
    return bool(b) and not b.startswith(".") and not b.endswith(":") and not re.match(r"^[A-Za-z_.][\w.$]*\s*=", b)


def instrument(lines):
    # Comments are stripped from every line: the assembler under test accepts // and /* */
    # anywhere, gas only at the start of a line. Line numbers do not change.
    out = [strip_comment(l) for l in lines]
    spans = []  # (line number of the instruction, start label, end label)
    repeated = []  # line numbers of instructions inside .rept/.irp bodies
    pending_lock = None
    depth = 0
    for i, raw in enumerate(lines):
        n = i + 1
        code = strip_comment(raw)
        stmts = statements(code)
        insns = [s for s in stmts if is_instruction(s)]
        in_block = depth > 0
        for s in stmts:
            word = body(s).split(None, 1)[0].lower() if body(s) else ""
            if word in (".rept", ".irp", ".irpc"):
                depth += 1
                in_block = True
            elif word == ".endr":
                depth -= 1
                in_block = True
        if not insns:
            continue
        if in_block:
            repeated.append(n)
            continue
        if len(insns) == 1 and body(insns[0]).lower() == "lock" and len(stmts) == 1:
            pending_lock = n
            out[i] = "__gs_%d: %s" % (n, code)
            continue
        start = "__gs_%d" % (pending_lock if pending_lock else n)
        if pending_lock:
            out[i] = "%s ; __ge_%d:" % (code, n)
        else:
            out[i] = "__gs_%d: %s ; __ge_%d:" % (n, code, n)
        spans.append((n, start, "__ge_%d" % n))
        pending_lock = None
    return out, spans, repeated


def section_order(lines):
    order = [".text"]
    for raw in lines:
        for stmt in statements(strip_comment(raw)):
            b = body(stmt)
            m = re.match(r"^\.(?:push)?section\s+\"?([^\s,\"]+)", b)
            name = m.group(1) if m else None
            m2 = re.match(r"^\.(text|data|bss|rodata)\b", b)
            if m2:
                name = "." + m2.group(1)
            if name and name not in order:
                order.append(name)
    return order


def object_sections(path):
    text = run("objdump", "-h", path)
    secs = {}
    rows = text.splitlines()
    for k, row in enumerate(rows):
        m = re.match(r"^\s*\d+\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+[0-9a-f]+\s+2\*\*(\d+)",
                     row)
        if m:
            flags = rows[k + 1]
            secs[m.group(1)] = dict(size=int(m.group(2), 16), vma=int(m.group(3), 16),
                                    align=1 << int(m.group(4)), alloc="ALLOC" in flags,
                                    nobits="CONTENTS" not in flags)
    return secs


def record(sample):
    src_path = os.path.join(RES, sample)
    with open(src_path) as f:
        lines = f.read().split("\n")
    instrumented, spans, repeated = instrument(lines)
    with tempfile.TemporaryDirectory() as tmp:
        s = os.path.join(tmp, "in.s")
        o = os.path.join(tmp, "in.o")
        elf = os.path.join(tmp, "out.elf")
        with open(s, "w") as f:
            f.write("\n".join(instrumented))
        run("as", "--64", "-o", o, s)
        objsecs = object_sections(o)
        order = [n for n in section_order(lines) if n in objsecs and objsecs[n]["size"] > 0]
        for name, sec in objsecs.items():
            if sec["alloc"] and sec["size"] > 0 and name not in order:
                sys.exit("%s: section %s not found in the source scan" % (sample, name))
        cursor, placed = TEXT_ADDRESS, []
        for name in order:
            align = max(PAGE, objsecs[name]["align"])
            addr = TEXT_ADDRESS if name == ".text" else (cursor + align - 1) // align * align
            placed.append((name, addr))
            cursor = addr + objsecs[name]["size"]
        script = os.path.join(tmp, "layout.ld")
        with open(script, "w") as f:
            f.write("SECTIONS\n{\n")
            for name, addr in placed:
                f.write("  %s 0x%x : { *(%s) }\n" % (name, addr, name))
            f.write("  /DISCARD/ : { *(.note.GNU-stack) *(.comment) *(.note.gnu.property) }\n}\n")
        run("ld", "-m", "elf_x86_64", "-T", script, "-e", "0", "-z", "noexecstack",
            "--no-warn-rwx-segments", "-o", elf, o)
        linked = object_sections(elf)
        out = ["# Recorded by src/test/scripts/asm_golden.py from %s with" % sample,
               "# " + run("as", "--version").splitlines()[0],
               "# " + run("ld", "--version").splitlines()[0]]
        for name, addr in placed:
            sec = linked[name]
            if sec["vma"] != addr:
                sys.exit("%s: ld placed %s at %#x, not %#x" % (sample, name, sec["vma"], addr))
            if sec["nobits"]:
                data = bytes(sec["size"])
            else:
                b = os.path.join(tmp, "sec.bin")
                run("objcopy", "-O", "binary", "--only-section=" + name, elf, b)
                with open(b, "rb") as f:
                    data = f.read()
            out.append("section %s 0x%x %d %s" % (name, addr, len(data), data.hex()))
        syms = {}
        source = "\n".join(lines)
        for row in run("nm", elf).splitlines():
            value, kind, name = row.split()
            syms[name] = int(value, 16)
        for name in sorted(syms):
            if name.startswith("__g") or not re.search(r"(?<![\w.$])%s(?![\w.$])" % re.escape(name),
                                                        source):
                continue
            out.append("symbol %s 0x%x" % (name, syms[name]))
        for n, start, end in spans:
            out.append("insn %d 0x%x 0x%x" % (n, syms[start], syms[end]))
        for n in repeated:
            out.append("repeated %d" % n)
    dst = os.path.join(RES, "golden", sample[:-2] + ".golden")
    with open(dst, "w") as f:
        f.write("\n".join(out) + "\n")
    print("%s: %d sections, %d instruction lines -> %s" % (sample, len(placed), len(spans), dst))


if __name__ == "__main__":
    for sample in sys.argv[1:] or SAMPLES:
        record(sample)
