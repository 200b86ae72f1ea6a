package org.vcpusim.kernel.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.signal.SignalNumbers.SIGUSR1;
import static org.vcpusim.kernel.signal.SignalNumbers.SIGUSR2;
import static org.vcpusim.kernel.signal.SignalNumbers.bit;
import static org.vcpusim.kernel.testing.KernelFixture.HANDLER;
import static org.vcpusim.kernel.testing.KernelFixture.RESTORER;
import static org.vcpusim.kernel.testing.KernelFixture.u32;
import static org.vcpusim.kernel.testing.KernelFixture.u64;

import org.junit.jupiter.api.Test;
import org.vcpusim.cpu.exec.Rflags;
import org.vcpusim.cpu.exec.ThreadContext;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.entry.ExitToUser;
import org.vcpusim.kernel.syscall.SyscallNumbers;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.task.TaskWork;
import org.vcpusim.kernel.testing.KernelFixture;

/**
 * Signal delivery to a handler through an x86-64 rt_sigframe and back through rt_sigreturn, mask
 * handling, default actions.
 */
class SignalDeliveryTest {
  private static final long ACT = KernelFixture.DATA + 0x200;
  private static final long OACT = KernelFixture.DATA + 0x240;

  private static KernelFixture fixture() {
    return KernelFixture.legacy(4, 2);
  }

  static long sigaction(KernelFixture f, Task t, int sig, long handler, long flags, long mask) {
    KernelFixture.putU64(t, ACT, handler);
    KernelFixture.putU64(t, ACT + 8, flags);
    KernelFixture.putU64(t, ACT + 16, RESTORER);
    KernelFixture.putU64(t, ACT + 24, mask);
    return f.syscall(t, SyscallNumbers.RT_SIGACTION, sig, ACT, 0, SignalNumbers.SIGSET_SIZE);
  }

  /** Arbitrary distinct values in every register, RIP and some flags. */
  private static void scramble(Task t) {
    ThreadContext c = t.context();
    for (int r = 0; r < Registers.COUNT; r++) {
      c.set(r, 0x1111_0000_0000_0000L * (r + 1) + r);
    }
    c.set(Registers.RSP, KernelFixture.STACK_TOP - 0x333);
    c.setRip(KernelFixture.CODE + 0x14);
    c.setRflags(Rflags.CF | Rflags.ZF | Rflags.OF);
  }

  @Test
  void deliveryBuildsTheFrameAndSigreturnRestoresTheExactContext() {
    KernelFixture f = fixture();
    Task t = f.process("p", 2);
    assertEquals(0, sigaction(f, t, SIGUSR1, HANDLER,
        SignalNumbers.SA_SIGINFO | SignalNumbers.SA_RESTORER, bit(SIGUSR2)));
    f.signals.setBlocked(t, bit(SignalNumbers.SIGALRM));
    assertEquals(0, f.syscall(t, SyscallNumbers.TGKILL, t.process().pid(), t.tid(), SIGUSR1));
    scramble(t);
    ThreadContext before = t.context().copy();
    long interruptedRsp = before.get(Registers.RSP);

    assertTrue(f.returnToUser(t, ExitToUser.INTERRUPT));

    ThreadContext c = t.context();
    long frame = c.get(Registers.RSP);
    assertEquals(HANDLER, c.rip());
    assertEquals(SIGUSR1, c.get(Registers.RDI));
    assertEquals(frame + SigFrame.INFO, c.get(Registers.RSI));
    assertEquals(frame + SigFrame.UC, c.get(Registers.RDX));
    assertEquals(0, c.get(Registers.RAX));
    assertEquals(0, (frame + 8) % 16, "handler entry: RSP + 8 is 16-byte aligned");
    assertTrue(frame + SigFrame.SIZE <= interruptedRsp - SigFrame.RED_ZONE, "below the red zone");
    assertTrue(interruptedRsp - SigFrame.RED_ZONE - (frame + SigFrame.SIZE) < 16 + 8,
        "no more padding than the alignment needs");
    // The frame contents.
    assertEquals(RESTORER, u64(t, frame + SigFrame.PRETCODE));
    long sc = frame + SigFrame.MCONTEXT;
    for (int r = 0; r < Registers.COUNT; r++) {
      assertEquals(before.get(r), u64(t, sc + SigFrame.sigcontextOffset(r)), Registers.name64(r));
    }
    assertEquals(before.rip(), u64(t, sc + SigFrame.SC_IP));
    assertEquals(before.rflags(), u64(t, sc + SigFrame.SC_FLAGS));
    assertEquals(bit(SignalNumbers.SIGALRM), u64(t, frame + SigFrame.UC_SIGMASK));
    assertEquals(bit(SignalNumbers.SIGALRM), u64(t, sc + SigFrame.SC_OLDMASK));
    assertEquals(SigFrame.USER_CS, u32(t, sc + SigFrame.SC_CS) & 0xffff);
    assertEquals(SIGUSR1, u32(t, frame + SigFrame.INFO + SigFrame.SI_SIGNO));
    assertEquals(SignalNumbers.SI_TKILL, u32(t, frame + SigFrame.INFO + SigFrame.SI_CODE));
    assertEquals(t.process().pid(), u32(t, frame + SigFrame.INFO + SigFrame.SI_PID));
    assertEquals(SigFrame.SS_DISABLE, u32(t, frame + SigFrame.UC_STACK_FLAGS));
    // The mask while the handler runs: old | sa_mask | sig.
    assertEquals(bit(SignalNumbers.SIGALRM) | bit(SIGUSR2) | bit(SIGUSR1),
        f.signals.blocked(t.tid()));
    assertEquals(1, f.signals.deliveries(SIGUSR1));
    assertEquals(KernelFixture.DELIVERY_CYCLES, f.kernel.charged(CostCategory.RETURN_TO_USER));
    assertFalse(t.hasWork(TaskWork.SIGPENDING));

    // The handler clobbers registers, returns with ret (pops pretcode), the restorer does
    // mov $15,%eax; syscall.
    c.set(Registers.RBX, 42);
    c.set(Registers.R12, 43);
    c.setRflags(0);
    c.set(Registers.RSP, frame + 8);
    c.setRip(RESTORER + 7);
    f.syscall(t, SyscallNumbers.RT_SIGRETURN);
    assertTrue(t.context().sameStateAs(before), t.context() + "\n" + before);
    assertEquals(bit(SignalNumbers.SIGALRM), f.signals.blocked(t.tid()));
  }

  @Test
  void sigreturnKeepsTheRestoredRaxAndRejectsABadFrame() {
    KernelFixture f = fixture();
    Task t = f.process("p", 0);
    sigaction(f, t, SIGUSR1, HANDLER, SignalNumbers.SA_RESTORER, 0);
    f.syscall(t, SyscallNumbers.TGKILL, t.process().pid(), t.tid(), SIGUSR1);
    t.context().set(Registers.RAX, 777);
    assertTrue(f.returnToUser(t, ExitToUser.SYSCALL));
    long frame = t.context().get(Registers.RSP);
    t.context().set(Registers.RSP, frame + 8);
    long r = f.syscall(t, SyscallNumbers.RT_SIGRETURN);
    assertEquals(777, t.context().get(Registers.RAX), "RAX comes from the frame");
    assertEquals(0, r);

    // A frame pointer into unmapped memory: SIGSEGV forced, fatal with the default action.
    t.context().set(Registers.RSP, 0x5000_0000L);
    f.syscall(t, SyscallNumbers.RT_SIGRETURN);
    assertFalse(f.returnToUser(t, ExitToUser.SYSCALL));
    assertEquals(SignalNumbers.SIGSEGV, f.kernel.lastKill().signal());
  }

  @Test
  void withoutSaSiginfoTheSiginfoIsNotWritten() {
    KernelFixture f = fixture();
    Task t = f.process("p", 0);
    sigaction(f, t, SIGUSR1, HANDLER, SignalNumbers.SA_RESTORER, 0);
    f.syscall(t, SyscallNumbers.TGKILL, t.process().pid(), t.tid(), SIGUSR1);
    assertTrue(f.returnToUser(t, ExitToUser.SYSCALL));
    long frame = t.context().get(Registers.RSP);
    assertEquals(0, u32(t, frame + SigFrame.INFO + SigFrame.SI_SIGNO));
    assertEquals(RESTORER, u64(t, frame));
  }

  @Test
  void noRestorerIsSigsegv() {
    KernelFixture f = fixture();
    Task t = f.process("p", 0);
    sigaction(f, t, SIGUSR1, HANDLER, SignalNumbers.SA_SIGINFO, 0);
    f.syscall(t, SyscallNumbers.TGKILL, t.process().pid(), t.tid(), SIGUSR1);
    assertFalse(f.returnToUser(t, ExitToUser.SYSCALL));
    assertEquals(SignalNumbers.SIGSEGV, f.kernel.lastKill().signal());
    assertTrue(f.kernel.lastKill().reason().contains("SA_RESTORER"), f.kernel.lastKill().reason());
  }

  @Test
  void anUnwritableStackIsSigsegv() {
    KernelFixture f = fixture();
    Task t = f.process("p", 0);
    sigaction(f, t, SIGUSR1, HANDLER, SignalNumbers.SA_RESTORER, 0);
    t.process().addressSpace().protect(KernelFixture.STACK_BASE, KernelFixture.STACK_SIZE,
        AddressSpace.READ);
    f.syscall(t, SyscallNumbers.TGKILL, t.process().pid(), t.tid(), SIGUSR1);
    assertFalse(f.returnToUser(t, ExitToUser.SYSCALL));
    assertTrue(f.kernel.lastKill().reason().contains("not writable"),
        f.kernel.lastKill().reason());
  }

  @Test
  void blockedSignalsStayPendingUntilUnblocked() {
    KernelFixture f = fixture();
    Task t = f.process("p", 0);
    sigaction(f, t, SIGUSR1, HANDLER, SignalNumbers.SA_RESTORER, 0);
    long set = KernelFixture.DATA + 0x300;
    KernelFixture.putU64(t, set, bit(SIGUSR1));
    assertEquals(0, f.syscall(t, SyscallNumbers.RT_SIGPROCMASK, SignalNumbers.SIG_BLOCK, set, 0,
        8));
    f.syscall(t, SyscallNumbers.TGKILL, t.process().pid(), t.tid(), SIGUSR1);
    assertFalse(t.hasWork(TaskWork.SIGPENDING));
    assertEquals(bit(SIGUSR1), f.signals.pending(t.tid()));
    long rip = t.context().rip();
    assertTrue(f.returnToUser(t, ExitToUser.SYSCALL));
    assertEquals(rip, t.context().rip(), "not delivered while blocked");
    assertEquals(0, f.signals.deliveries(SIGUSR1));

    assertEquals(0, f.syscall(t, SyscallNumbers.RT_SIGPROCMASK, SignalNumbers.SIG_UNBLOCK, set, 0,
        8));
    assertTrue(t.hasWork(TaskWork.SIGPENDING));
    assertTrue(f.returnToUser(t, ExitToUser.SYSCALL));
    assertEquals(HANDLER, t.context().rip());
    assertEquals(1, f.signals.deliveries(SIGUSR1));
    assertEquals(0, f.signals.pending(t.tid()));
  }

  @Test
  void aBlockedSignalIsNotDeliveredAlongWithAnUnblockedOne() {
    KernelFixture f = fixture();
    Task t = f.process("p", 0);
    sigaction(f, t, SIGUSR1, HANDLER, SignalNumbers.SA_RESTORER, 0);
    sigaction(f, t, SIGUSR2, HANDLER + 0x40, SignalNumbers.SA_RESTORER, 0);
    f.signals.setBlocked(t, bit(SIGUSR2));
    f.syscall(t, SyscallNumbers.TGKILL, t.process().pid(), t.tid(), SIGUSR2);
    f.syscall(t, SyscallNumbers.KILL, t.process().pid(), SIGUSR2);
    f.syscall(t, SyscallNumbers.TGKILL, t.process().pid(), t.tid(), SIGUSR1);
    assertTrue(f.returnToUser(t, ExitToUser.SYSCALL));
    assertEquals(HANDLER, t.context().rip());
    assertEquals(0, f.signals.deliveries(SIGUSR2));
    assertEquals(bit(SIGUSR2), f.signals.pending(t.tid()));
    assertEquals(bit(SIGUSR2), f.signals.sharedPending(t.process()));
    assertFalse(t.hasWork(TaskWork.SIGPENDING));
  }

  @Test
  void aProcessDirectedSignalGoesToAThreadThatDoesNotBlockIt() {
    KernelFixture f = fixture();
    Task leader = f.process("p", 0);
    Task other = f.thread(leader, "t", 1);
    sigaction(f, leader, SIGUSR1, HANDLER, SignalNumbers.SA_RESTORER, 0);
    f.signals.setBlocked(leader, bit(SIGUSR1));
    f.syscall(leader, SyscallNumbers.KILL, leader.process().pid(), SIGUSR1);
    assertTrue(other.hasWork(TaskWork.SIGPENDING));
    assertEquals(other, f.wakeups.get(f.wakeups.size() - 1));
    assertTrue(f.returnToUser(leader, ExitToUser.SYSCALL));
    assertEquals(0, f.signals.deliveries(SIGUSR1));
    assertTrue(f.returnToUser(other, ExitToUser.INTERRUPT));
    assertEquals(HANDLER, other.context().rip());
    assertEquals(0, f.signals.sharedPending(leader.process()));
  }

  @Test
  void defaultActionOfASentFatalSignalKillsAtOnce() {
    KernelFixture f = fixture();
    Task victim = f.process("victim", 1);
    Task killer = f.process("killer", 0);
    assertEquals(0, f.syscall(killer, SyscallNumbers.KILL, victim.process().pid(),
        SignalNumbers.SIGTERM));
    assertTrue(victim.process().hasExited());
    assertEquals(SignalNumbers.SIGTERM, f.kernel.lastKill().signal());
    assertTrue(f.kernel.lastKill().reason().contains("SIGTERM sent by pid " + killer.process().pid()),
        f.kernel.lastKill().reason());
    assertFalse(killer.process().hasExited());
  }

  @Test
  void aFaultWithTheDefaultActionKillsWithTheAddressAndRip() {
    KernelFixture f = fixture();
    Task t = f.process("p", 0);
    t.context().setRip(KernelFixture.CODE + 0x14);
    f.signals.forceSignal(t, SignalNumbers.SIGSEGV, SignalNumbers.SEGV_MAPERR, 0xdead000L);
    assertFalse(f.returnToUser(t, ExitToUser.EXCEPTION));
    String reason = f.kernel.lastKill().reason();
    assertEquals(SignalNumbers.SIGSEGV, f.kernel.lastKill().signal());
    assertTrue(reason.contains("SIGSEGV"), reason);
    assertTrue(reason.contains("0xdead000"), reason);
    assertTrue(reason.contains("rip=0x400014"), reason);
    assertTrue(reason.contains("task " + t.tid()), reason);
    assertEquals(1, f.signals.fatal(SignalNumbers.SIGSEGV));
  }

  @Test
  void aBlockedOrIgnoredForcedSignalStillKills() {
    for (boolean block : new boolean[] {true, false}) {
      KernelFixture f = fixture();
      Task t = f.process("p", 0);
      if (block) {
        sigaction(f, t, SignalNumbers.SIGILL, HANDLER, SignalNumbers.SA_RESTORER, 0);
        f.signals.setBlocked(t, bit(SignalNumbers.SIGILL));
      } else {
        sigaction(f, t, SignalNumbers.SIGILL, SignalNumbers.SIG_IGN, 0, 0);
      }
      f.signals.forceSignal(t, SignalNumbers.SIGILL, SignalNumbers.ILL_ILLOPN, 0x400000L);
      assertFalse(f.returnToUser(t, ExitToUser.EXCEPTION), block ? "blocked" : "ignored");
      assertEquals(SignalNumbers.SIGILL, f.kernel.lastKill().signal());
    }
  }

  @Test
  void aForcedFaultRunsAnInstalledHandlerWithTheFaultInfo() {
    KernelFixture f = fixture();
    Task t = f.process("p", 0);
    sigaction(f, t, SignalNumbers.SIGSEGV, HANDLER,
        SignalNumbers.SA_SIGINFO | SignalNumbers.SA_RESTORER, 0);
    f.signals.forceSignal(t, SignalNumbers.SIGSEGV, SignalNumbers.SEGV_ACCERR, 0x600008L);
    assertTrue(f.returnToUser(t, ExitToUser.EXCEPTION));
    long frame = t.context().get(Registers.RSP);
    assertEquals(SignalNumbers.SEGV_ACCERR, u32(t, frame + SigFrame.INFO + SigFrame.SI_CODE));
    assertEquals(0x600008L, u64(t, frame + SigFrame.INFO + SigFrame.SI_ADDR));
  }

  @Test
  void ignoredSignalsAreDiscarded() {
    KernelFixture f = fixture();
    Task t = f.process("p", 0);
    sigaction(f, t, SIGUSR1, SignalNumbers.SIG_IGN, 0, 0);
    f.syscall(t, SyscallNumbers.TGKILL, t.process().pid(), t.tid(), SIGUSR1);
    f.syscall(t, SyscallNumbers.TGKILL, t.process().pid(), t.tid(), SignalNumbers.SIGCHLD);
    assertEquals(0, f.signals.pending(t.tid()));
    assertEquals(1, f.signals.ignored(SIGUSR1));
    assertEquals(1, f.signals.ignored(SignalNumbers.SIGCHLD));
    assertFalse(t.process().hasExited());
  }

  @Test
  void nodeferAndResethand() {
    KernelFixture f = fixture();
    Task t = f.process("p", 0);
    sigaction(f, t, SIGUSR1, HANDLER, SignalNumbers.SA_RESTORER | SignalNumbers.SA_NODEFER
        | SignalNumbers.SA_RESETHAND, 0);
    f.syscall(t, SyscallNumbers.TGKILL, t.process().pid(), t.tid(), SIGUSR1);
    assertTrue(f.returnToUser(t, ExitToUser.SYSCALL));
    assertEquals(0, f.signals.blocked(t.tid()) & bit(SIGUSR1), "SA_NODEFER");
    assertEquals(SignalNumbers.SIG_DFL, f.signals.handler(t.process(), SIGUSR1), "SA_RESETHAND");
  }

  @Test
  void twoPendingSignalsNestTwoFrames() {
    KernelFixture f = fixture();
    Task t = f.process("p", 0);
    sigaction(f, t, SIGUSR1, HANDLER, SignalNumbers.SA_RESTORER, 0);
    sigaction(f, t, SIGUSR2, HANDLER + 0x40, SignalNumbers.SA_RESTORER, 0);
    f.syscall(t, SyscallNumbers.TGKILL, t.process().pid(), t.tid(), SIGUSR2);
    f.syscall(t, SyscallNumbers.TGKILL, t.process().pid(), t.tid(), SIGUSR1);
    long rsp = t.context().get(Registers.RSP);
    assertTrue(f.returnToUser(t, ExitToUser.SYSCALL));
    // SIGUSR1 (lower number) first, then SIGUSR2 on top of its frame: the SIGUSR2 handler runs
    // first and returns into the SIGUSR1 handler.
    assertEquals(HANDLER + 0x40, t.context().rip());
    long top = t.context().get(Registers.RSP);
    assertEquals(HANDLER, u64(t, top + SigFrame.MCONTEXT + SigFrame.SC_IP));
    long inner = u64(t, top + SigFrame.MCONTEXT + SigFrame.SC_SP);
    assertEquals(rsp, u64(t, inner + SigFrame.MCONTEXT + SigFrame.SC_SP));
    assertEquals(1, f.signals.deliveries(SIGUSR1));
    assertEquals(1, f.signals.deliveries(SIGUSR2));
  }

  @Test
  void synchronousSignalsComeFirst() {
    KernelFixture f = fixture();
    Task t = f.process("p", 0);
    sigaction(f, t, SIGUSR1, HANDLER, SignalNumbers.SA_RESTORER, 0);
    sigaction(f, t, SignalNumbers.SIGSEGV, HANDLER + 0x80, SignalNumbers.SA_RESTORER, 0);
    f.syscall(t, SyscallNumbers.TGKILL, t.process().pid(), t.tid(), SIGUSR1);
    f.signals.forceSignal(t, SignalNumbers.SIGSEGV, SignalNumbers.SEGV_MAPERR, 0);
    assertTrue(f.returnToUser(t, ExitToUser.EXCEPTION));
    // SIGSEGV frame first (dequeued first), SIGUSR1 on top.
    long top = t.context().get(Registers.RSP);
    assertEquals(HANDLER + 0x80, u64(t, top + SigFrame.MCONTEXT + SigFrame.SC_IP));
    assertNotEquals(0, f.signals.deliveries(SignalNumbers.SIGSEGV));
  }

  @Test
  void forceTrapMapsCpuExceptionsToSignals() {
    KernelFixture f = fixture();
    Task t = f.process("p", 0);
    sigaction(f, t, SignalNumbers.SIGSEGV, HANDLER,
        SignalNumbers.SA_SIGINFO | SignalNumbers.SA_RESTORER, 0);
    // A real #PF from the address space: a write to the read-only descriptor page.
    AddressSpace m = t.process().addressSpace();
    m.clearFault();
    assertFalse(m.store(KernelFixture.DESC, 8, 1));
    org.vcpusim.cpu.exec.Trap trap = TrapFactory.pageFault(0x400014L, m);
    m.clearFault();
    f.signals.forceTrap(t, trap);
    assertTrue(f.returnToUser(t, ExitToUser.EXCEPTION));
    long frame = t.context().get(Registers.RSP);
    assertEquals(SignalNumbers.SEGV_ACCERR, u32(t, frame + SigFrame.INFO + SigFrame.SI_CODE));
    assertEquals(KernelFixture.DESC, u64(t, frame + SigFrame.INFO + SigFrame.SI_ADDR));
    assertEquals(14, u64(t, frame + SigFrame.MCONTEXT + SigFrame.SC_TRAPNO));
    assertEquals(KernelFixture.DESC, u64(t, frame + SigFrame.MCONTEXT + SigFrame.SC_CR2));
    assertEquals(Signals.PF_PROT | Signals.PF_WRITE | Signals.PF_USER,
        u64(t, frame + SigFrame.MCONTEXT + SigFrame.SC_ERR));
  }
}
