package org.vcpusim.cpu.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.cpu.isa.Registers.RAX;
import static org.vcpusim.cpu.isa.Registers.RBX;
import static org.vcpusim.cpu.isa.Registers.RCX;
import static org.vcpusim.cpu.isa.Registers.RDI;
import static org.vcpusim.cpu.isa.Registers.RDX;
import static org.vcpusim.cpu.isa.Registers.RSI;
import static org.vcpusim.cpu.isa.Registers.RSP;
import static org.vcpusim.cpu.timing.TestProgram.imm;
import static org.vcpusim.cpu.timing.TestProgram.load;
import static org.vcpusim.cpu.timing.TestProgram.mem;
import static org.vcpusim.cpu.timing.TestProgram.r;
import static org.vcpusim.cpu.timing.TestProgram.record;
import static org.vcpusim.cpu.timing.TestProgram.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vcpusim.cpu.cache.MemorySystem;
import org.vcpusim.cpu.exec.ExecutionRecord;
import org.vcpusim.cpu.exec.MemoryLevel;
import org.vcpusim.cpu.isa.Condition;
import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Segment;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.cpu.profile.CpuProfiles;

class DataflowTimingModelTest {
  private static final long DATA = 0x600000;

  private CpuProfile profile;
  private DataflowTimingModel model;
  private final ExecutionRecord rec = new ExecutionRecord();
  private final TestProgram prog = new TestProgram();

  private void use(String name) {
    profile = CpuProfiles.load(name);
    model = new DataflowTimingModel(profile, new MemorySystem(profile, 1, 2), 0);
  }

  /** Cycles per repetition of {@code body} in steady state (after {@code warm} repetitions). */
  private double perIteration(int warm, int n, Runnable body) {
    for (int i = 0; i < warm; i++) {
      body.run();
    }
    long start = model.cycle();
    for (int i = 0; i < n; i++) {
      body.run();
    }
    return (double) (model.cycle() - start) / n;
  }

  @ParameterizedTest
  @ValueSource(strings = {"zen5", "icelake"})
  void chainOfDependentLoadsCostsL1LatencyPerLoad(String name) {
    use(name);
    Instruction chase = prog.add(Opcode.MOV, mem(RAX, 0), r(RAX)); // mov (%rax),%rax
    int[] k = {0};
    double per = perIteration(200, 2000,
        () -> model.retire(load(rec, chase, DATA + 64L * (k[0]++ % 16))));
    assertEquals(profile.memory().l1(), per, 0.01);
    assertEquals(MemoryLevel.L1, rec.servedBy);
  }

  @ParameterizedTest
  @ValueSource(strings = {"zen5", "icelake"})
  void independentLoadsAreBoundByTheLoadPorts(String name) {
    use(name);
    Instruction ld = prog.add(Opcode.MOV, mem(RSI, 0), r(RAX)); // address never changes
    int[] k = {0};
    // warm-up longer than the reorder buffer, so the first (DRAM) misses have retired
    double per = perIteration(2000, 4000,
        () -> model.retire(load(rec, ld, DATA + 8L * (k[0]++ % 64))));
    assertEquals(1.0 / profile.pipeline().loadPorts(), per, 0.01);
  }

  @ParameterizedTest
  @ValueSource(strings = {"zen5", "icelake"})
  void loadOfAJustStoredAddressPaysForwardingNotL1(String name) {
    use(name);
    Instruction st = prog.add(Opcode.MOV, r(RAX), mem(RSI, 0)); // mov %rax,(%rsi)
    Instruction ld = prog.add(Opcode.MOV, mem(RSI, 0), r(RAX)); // mov (%rsi),%rax
    double per = perIteration(100, 1000, () -> {
      model.retire(store(rec, st, DATA));
      model.retire(load(rec, ld, DATA));
    });
    assertEquals(MemoryLevel.STORE_FORWARD, rec.servedBy);
    assertEquals(profile.memory().storeForward(), per, 0.01);
    assertTrue(model.forwardedLoads() >= 1100);
  }

  @Test
  void forwardingLatencyDiffersFromL1OnZen5() {
    use("zen5");
    Instruction st = prog.add(Opcode.MOV, r(RAX), mem(RSI, 0));
    Instruction ld = prog.add(Opcode.MOV, mem(RSI, 0), r(RAX));
    Instruction other = prog.add(Opcode.MOV, mem(RSI, 64), r(RAX)); // another line: no store
    double forwarded = perIteration(100, 1000, () -> {
      model.retire(store(rec, st, DATA));
      model.retire(load(rec, ld, DATA));
    });
    use("zen5");
    double notStored = perIteration(100, 1000, () -> {
      model.retire(store(rec, st, DATA));
      model.retire(load(rec, other, DATA + 64));
    });
    assertEquals(7.0, forwarded, 0.01);
    assertNotEquals(forwarded, notStored, 0.5); // the loads no longer depend on the stores
  }

  @ParameterizedTest
  @ValueSource(strings = {"zen5", "icelake"})
  void partlyOverlappingStoreDoesNotForward(String name) {
    use(name);
    Instruction st = prog.add(Opcode.MOV, r(RAX), mem(RSI, 0));
    Instruction ld = prog.add(Opcode.MOV, mem(RSI, 0), r(RAX));
    double per = perIteration(100, 500, () -> {
      record(rec, st).addAccess(DATA + 4, 4, true, Segment.NONE, false); // 4-byte store
      model.retire(rec);
      model.retire(load(rec, ld, DATA)); // 8-byte load covering it partly
    });
    assertEquals(0, model.forwardedLoads());
    assertEquals(MemoryLevel.L1, rec.servedBy);
    // a failed forward costs the forwarding attempt and then an L1 access after the commit
    assertEquals(profile.memory().storeForward() + profile.memory().l1(), per, 0.01);
  }

  @ParameterizedTest
  @ValueSource(strings = {"zen5", "icelake"})
  void nonZeroSegmentBaseAddsExactlyThePenaltyToADependentChain(String name) {
    use(name);
    Instruction chase = prog.add(Opcode.MOV, TestProgram.gs(RAX, 0), r(RAX));
    double plain = perIteration(100, 1000, () -> {
      record(rec, chase).addAccess(DATA, 8, false, Segment.GS, false);
      model.retire(rec);
    });
    use(name);
    double based = perIteration(100, 1000, () -> {
      record(rec, chase).addAccess(DATA, 8, false, Segment.GS, true);
      model.retire(rec);
    });
    assertEquals(profile.memory().segmentBasePenalty(), based - plain, 0.01);
    assertEquals(1, profile.memory().segmentBasePenalty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"zen5", "icelake"})
  void dependentAluChainCostsItsLatencyPerOperation(String name) {
    use(name);
    Instruction add = prog.add(Opcode.ADD, r(RBX), r(RAX));
    double perAdd = perIteration(100, 1000, () -> model.retire(record(rec, add)));
    assertEquals(profile.alu().simple(), perAdd, 0.01);
    use(name);
    Instruction imul = prog.add(Opcode.IMUL, r(RBX), r(RAX));
    double perImul = perIteration(100, 1000, () -> model.retire(record(rec, imul)));
    assertEquals(profile.alu().imul(), perImul, 0.01);
  }

  @ParameterizedTest
  @ValueSource(strings = {"zen5", "icelake"})
  void independentAluOperationsAreBoundByTheAluPipes(String name) {
    // N independent adds take N / aluPorts cycles, not N / issueWidth: the front end delivers
    // issueWidth per cycle but only aluPorts of them can start per cycle
    use(name);
    assertTrue(profile.pipeline().aluPorts() < profile.pipeline().issueWidth());
    int[] regs = {0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    Instruction[] adds = new Instruction[regs.length];
    for (int i = 0; i < regs.length; i++) {
      adds[i] = prog.add(Opcode.ADD, imm(1), r(regs[i]));
    }
    int[] k = {0};
    double per = perIteration(300, 6000,
        () -> model.retire(record(rec, adds[k[0]++ % adds.length])));
    assertEquals(1.0 / profile.pipeline().aluPorts(), per, 0.01);
  }

  @ParameterizedTest
  @ValueSource(strings = {"zen5", "icelake"})
  void workHandledAtRenameIsBoundByTheIssueWidthOnly(String name) {
    // zeroing idioms claim no ALU pipe: only the issue width bounds them
    use(name);
    int[] regs = {0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    Instruction[] zeros = new Instruction[regs.length];
    for (int i = 0; i < regs.length; i++) {
      zeros[i] = prog.add(Opcode.XOR, TestProgram.r32(regs[i]), TestProgram.r32(regs[i]));
    }
    int[] k = {0};
    double per = perIteration(300, 6000,
        () -> model.retire(record(rec, zeros[k[0]++ % zeros.length])));
    assertEquals(1.0 / profile.pipeline().issueWidth(), per, 0.01);
  }

  @Test
  void loadsDoNotTakeAluPipes() {
    // zen5: per round 6 adds (one cycle of the 6 ALU pipes) and 2 loads (4 load ports): the
    // 8 instructions issue in one cycle; if loads took ALU pipes it would be 8 / 6 cycles
    use("zen5");
    int[] regs = {0, 1, 2, 3, 5, 6};
    Instruction[] adds = new Instruction[regs.length];
    for (int i = 0; i < regs.length; i++) {
      adds[i] = prog.add(Opcode.ADD, imm(1), r(regs[i]));
    }
    Instruction ld1 = prog.add(Opcode.MOV, mem(RSI, 0), r(8));
    Instruction ld2 = prog.add(Opcode.MOV, mem(RSI, 8), r(9));
    double per = perIteration(300, 3000, () -> {
      for (Instruction add : adds) {
        model.retire(record(rec, add));
      }
      model.retire(load(rec, ld1, DATA));
      model.retire(load(rec, ld2, DATA + 8));
    });
    assertEquals(1.0, per, 0.01);
  }

  @Test
  void xorOfARegisterWithItselfBreaksTheDependency() {
    use("zen5");
    Instruction imul = prog.add(Opcode.IMUL, r(RBX), r(RAX));
    Instruction zero = prog.add(Opcode.XOR, TestProgram.r32(RAX), TestProgram.r32(RAX));
    Instruction use = prog.add(Opcode.ADD, r(RAX), r(RCX));
    for (int i = 0; i < 10; i++) {
      model.retire(record(rec, imul));
    }
    model.retire(record(rec, zero));
    model.retire(record(rec, use));
    // the add waited for nothing: it retires with the imul chain (30 cycles), not after it
    assertEquals(30, model.cycle());
  }

  @ParameterizedTest
  @ValueSource(strings = {"zen5", "icelake"})
  void mispredictedBranchCostsThePenalty(String name) {
    long[] cycles = new long[2];
    for (int taken = 0; taken < 2; taken++) {
      use(name);
      TestProgram p = new TestProgram();
      Instruction cmp = p.add(Opcode.CMP, r(RBX), r(RAX));
      Instruction jne = p.jcc(Condition.NE, TestProgram.BASE + 0x100);
      Instruction next = p.add(Opcode.ADD, r(RCX), r(RDX));
      model.retire(record(rec, cmp));
      record(rec, jne).branchTaken = taken == 1; // a cold predictor says not taken
      rec.nextRip = taken == 1 ? jne.target : jne.nextAddress();
      model.retire(rec);
      model.retire(record(rec, next));
      cycles[taken] = model.cycle();
      assertEquals(taken, model.mispredictions());
    }
    // the instruction after a correctly predicted branch overlaps the branch; after a
    // misprediction it starts penalty cycles after the branch resolves (cmp ready at 1,
    // resolve at 2) and then takes its own cycle
    assertEquals(profile.branch().mispredictPenalty() + 1, cycles[1] - cycles[0]);
  }

  @Test
  void loopBranchIsLearnedAndReturnsArePredictedByTheReturnStack() {
    use("zen5");
    Instruction dec = prog.add(Opcode.DEC, r(RCX));
    Instruction jnz = prog.jcc(Condition.NE, TestProgram.BASE);
    for (int i = 0; i < 500; i++) {
      model.retire(record(rec, dec));
      record(rec, jnz).branchTaken = true;
      rec.nextRip = jnz.target;
      model.retire(rec);
    }
    long warm = model.mispredictions();
    assertTrue(warm <= 16, "warm-up mispredictions " + warm);
    for (int i = 0; i < 500; i++) {
      model.retire(record(rec, dec));
      record(rec, jnz).branchTaken = true;
      rec.nextRip = jnz.target;
      model.retire(rec);
    }
    assertEquals(warm, model.mispredictions());

    Instruction call = prog.add(Opcode.CALL, null, false, TestProgram.BASE + 0x800);
    Instruction ret = prog.add(Opcode.RET);
    for (int i = 0; i < 10; i++) {
      record(rec, call).addAccess(DATA, 8, true, Segment.NONE, false);
      rec.nextRip = call.target;
      model.retire(rec);
      record(rec, ret).addAccess(DATA, 8, false, Segment.NONE, false);
      rec.nextRip = call.nextAddress();
      model.retire(rec);
    }
    assertEquals(warm, model.mispredictions());
  }

  @ParameterizedTest
  @ValueSource(strings = {"zen5", "icelake"})
  void serializingInstructionDrainsOlderWorkAndDelaysYounger(String name) {
    long[] end = new long[2];
    for (int fenced = 0; fenced < 2; fenced++) {
      use(name);
      TestProgram p = new TestProgram();
      Instruction imul = p.add(Opcode.IMUL, r(RBX), r(RAX));
      Instruction lfence = p.add(Opcode.LFENCE);
      Instruction add = p.add(Opcode.ADD, r(RDX), r(RCX));
      for (int i = 0; i < 10; i++) {
        model.retire(record(rec, imul));
      }
      if (fenced == 1) {
        model.retire(record(rec, lfence));
      }
      model.retire(record(rec, add));
      end[fenced] = model.cycle();
    }
    long chain = 10L * profile.alu().imul();
    assertEquals(chain, end[0]); // the add overlapped the chain
    assertEquals(chain + profile.system().lfence() + profile.alu().simple(), end[1]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"zen5", "icelake"})
  void mfenceWaitsForOlderStoresToCommitButLfenceDoesNot(String name) {
    long[] end = new long[2];
    Opcode[] fences = {Opcode.LFENCE, Opcode.MFENCE};
    for (int i = 0; i < 2; i++) {
      use(name);
      TestProgram p = new TestProgram();
      Instruction st = p.add(Opcode.MOV, r(RAX), mem(RSI, 0));
      Instruction fence = p.add(fences[i]);
      model.retire(store(rec, st, DATA)); // cold line: the store commits after a DRAM miss
      assertEquals(MemoryLevel.DRAM, rec.servedBy);
      model.retire(record(rec, fence));
      end[i] = model.cycle();
    }
    assertTrue(end[0] < profile.memory().dram(), "lfence " + end[0]);
    // the store commits after its miss (DRAM minus the L1 latency already in the pipeline)
    long miss = profile.memory().dram() - profile.memory().l1();
    assertTrue(end[1] >= miss + profile.system().mfence(), "mfence " + end[1]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"zen5", "icelake"})
  void lockedReadModifyWriteCostsTheLockedLatency(String name) {
    use(name);
    Instruction lockAdd = prog.locked(Opcode.ADD, r(RBX), mem(RDI, 0));
    Runnable one = () -> {
      record(rec, lockAdd).addAccess(DATA, 8, false, Segment.NONE, false);
      rec.addAccess(DATA, 8, true, Segment.NONE, false);
      model.retire(rec);
    };
    double per = perIteration(10, 100, one);
    assertEquals(profile.system().lockedRmw(), per, 0.01);
  }

  @ParameterizedTest
  @ValueSource(strings = {"zen5", "icelake"})
  void chargeSerializingDrainsThenAddsTheCharge(String name) {
    use(name);
    Instruction imul = prog.add(Opcode.IMUL, r(RBX), r(RAX));
    for (int i = 0; i < 10; i++) {
      model.retire(record(rec, imul));
    }
    model.chargeSerializing(profile.kernel().syscallEntryExit());
    assertEquals(30 + profile.kernel().syscallEntryExit(), model.cycle());
    model.retire(record(rec, imul));
    assertEquals(profile.alu().imul(), rec.retireCycles);
  }

  @Test
  void retireCyclesSumToTheCycleCount() {
    use("icelake");
    Instruction ld = prog.add(Opcode.MOV, mem(RAX, 0), r(RAX));
    Instruction add = prog.add(Opcode.ADD, r(RAX), r(RBX));
    Instruction st = prog.add(Opcode.MOV, r(RBX), mem(RSP, -8));
    long sum = 0;
    for (int i = 0; i < 300; i++) {
      model.retire(load(rec, ld, DATA + 64L * (i % 700)));
      sum += rec.retireCycles;
      model.retire(record(rec, add));
      sum += rec.retireCycles;
      model.retire(store(rec, st, 0x7fff0000L - 8));
      sum += rec.retireCycles;
    }
    assertEquals(model.cycle(), sum);
    assertEquals(900, model.instructions());
  }

  @Test
  void loadOfALineWrittenByAnotherCoreIsACrossCoreTransfer() {
    profile = CpuProfiles.load("zen5");
    MemorySystem memory = new MemorySystem(profile, 1, 8);
    DataflowTimingModel writer = new DataflowTimingModel(profile, memory, 0);
    DataflowTimingModel reader = new DataflowTimingModel(profile, memory, 1);
    Instruction st = prog.add(Opcode.MOV, r(RAX), mem(RSI, 0));
    Instruction ld = prog.add(Opcode.MOV, mem(RSI, 0), r(RAX));
    writer.retire(store(rec, st, DATA));
    reader.retire(load(rec, ld, DATA));
    assertEquals(MemoryLevel.REMOTE_CORE, rec.servedBy);
    assertEquals(profile.memory().crossCoreSameLlc(), rec.retireCycles);
    reader.retire(load(rec, ld, DATA));
    assertEquals(MemoryLevel.L1, rec.servedBy);
  }

  @Test
  void everyOpcodeHasATimingRule() {
    use("icelake");
    for (Opcode op : Opcode.values()) {
      Instruction insn = op.isConditional()
          ? prog.add(op, Condition.E, false, -1, r(RAX))
          : prog.add(op, r(RAX));
      InstructionTiming t = model.timing(insn);
      assertEquals(insn, t.insn);
      assertTrue(t.latency >= 0 && t.cost >= 0, t.toString());
    }
  }
}
