package org.vcpusim.kernel.signal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.vcpusim.cpu.exec.ThreadContext;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.mem.AddressSpace;

/**
 * The x86-64 {@code struct rt_sigframe} (arch/x86/include/asm/sigframe.h), how the kernel places
 * it on the user stack ({@code get_sigframe()}, arch/x86/kernel/signal.c), writes it ({@code
 * x64_setup_rt_frame()}, arch/x86/kernel/signal_64.c) and reads it back ({@code
 * SYSCALL_DEFINE0(rt_sigreturn)} and {@code restore_sigcontext()}, same file).
 *
 * <p>Layout (offsets from the frame address, which is the handler's RSP at entry):
 *
 * <pre>
 *   0  pretcode                 sa_restorer: the handler's return address
 *   8  struct ucontext uc       304 bytes
 *        8  uc_flags            UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS
 *       16  uc_link             0
 *       24  uc_stack            ss_sp 0, ss_flags SS_DISABLE, ss_size 0 (no sigaltstack)
 *       48  uc_mcontext         struct sigcontext_64, 256 bytes (offsets below, from 48)
 *      304  uc_sigmask          the blocked mask to restore
 * 312  struct siginfo info      128 bytes; written only with SA_SIGINFO
 * 440  (end)
 * </pre>
 *
 * <p>{@code struct sigcontext_64} (arch/x86/include/uapi/asm/sigcontext.h): r8..r15 at 0..56, di
 * 64, si 72, bp 80, bx 88, dx 96, ax 104, cx 112, sp 120, ip 128, flags 136, u16 cs/gs/fs/ss at
 * 144/146/148/150, err 152, trapno 160, oldmask 168, cr2 176, fpstate 184, reserved1[8] 192..255.
 *
 * <p><b>Placement.</b> {@code sp = RSP - 128} (the red zone), minus the frame size, rounded down to
 * 16, minus 8 ({@code align_sigframe()}): at the handler's first instruction RSP + 8 is 16-byte
 * aligned, as after a {@code call}. The handler's {@code ret} pops {@code pretcode}, so when the
 * restorer executes {@code syscall} with RAX = 15 the frame is at {@code RSP - 8}: {@code
 * rt_sigreturn} reads it at {@code regs->sp - sizeof(long)}.
 *
 * <p><b>Caveats:</b> there is no FPU/extended state (the simulated ISA has none): no xsave area is
 * reserved and {@code fpstate} is 0. {@code err}, {@code trapno} and {@code cr2} hold the trap
 * that raised a fault signal and 0 otherwise (the kernel reports the thread's last trap).
 * Restoring takes the status flags from the saved RFLAGS (the only ones modelled); {@code
 * uc_stack} is not interpreted (sigaltstack is not modelled).
 */
public final class SigFrame {
  /** The x86-64 ABI red zone below RSP that the frame must not overwrite. */
  public static final int RED_ZONE = 128;
  /** {@code FRAME_ALIGNMENT}. */
  public static final int FRAME_ALIGNMENT = 16;

  /** Offset of {@code pretcode}. */
  public static final int PRETCODE = 0;
  /** Offset of {@code uc}. */
  public static final int UC = 8;
  /** Offset of {@code uc.uc_flags}. */
  public static final int UC_FLAGS = UC;
  /** Offset of {@code uc.uc_link}. */
  public static final int UC_LINK = UC + 8;
  /** Offset of {@code uc.uc_stack.ss_sp}. */
  public static final int UC_STACK_SP = UC + 16;
  /** Offset of {@code uc.uc_stack.ss_flags}. */
  public static final int UC_STACK_FLAGS = UC + 24;
  /** Offset of {@code uc.uc_stack.ss_size}. */
  public static final int UC_STACK_SIZE = UC + 32;
  /** Offset of {@code uc.uc_mcontext}. */
  public static final int MCONTEXT = UC + 40;
  /** {@code sizeof(struct sigcontext_64)}. */
  public static final int SIGCONTEXT_SIZE = 256;
  /** Offset of {@code uc.uc_sigmask}. */
  public static final int UC_SIGMASK = MCONTEXT + SIGCONTEXT_SIZE;
  /** {@code sizeof(struct ucontext)}. */
  public static final int UCONTEXT_SIZE = UC_SIGMASK + 8 - UC;
  /** Offset of {@code info}. */
  public static final int INFO = UC + UCONTEXT_SIZE;
  /** {@code sizeof(siginfo_t)}. */
  public static final int SIGINFO_SIZE = 128;
  /** {@code sizeof(struct rt_sigframe)}. */
  public static final int SIZE = INFO + SIGINFO_SIZE;

  /** sigcontext_64 offsets of the registers, indexed by {@link Registers} number. */
  private static final int[] SC_GPR = new int[Registers.COUNT];
  /** Offset of {@code sc.sp} within the sigcontext. */
  public static final int SC_SP = 120;
  /** Offset of {@code sc.ip}. */
  public static final int SC_IP = 128;
  /** Offset of {@code sc.flags}. */
  public static final int SC_FLAGS = 136;
  /** Offset of {@code sc.cs}. */
  public static final int SC_CS = 144;
  /** Offset of {@code sc.ss}. */
  public static final int SC_SS = 150;
  /** Offset of {@code sc.err}. */
  public static final int SC_ERR = 152;
  /** Offset of {@code sc.trapno}. */
  public static final int SC_TRAPNO = 160;
  /** Offset of {@code sc.oldmask}. */
  public static final int SC_OLDMASK = 168;
  /** Offset of {@code sc.cr2}. */
  public static final int SC_CR2 = 176;
  /** Offset of {@code sc.fpstate}. */
  public static final int SC_FPSTATE = 184;

  /** Offset of {@code si_signo} within siginfo. */
  public static final int SI_SIGNO = 0;
  /** Offset of {@code si_errno}. */
  public static final int SI_ERRNO = 4;
  /** Offset of {@code si_code}. */
  public static final int SI_CODE = 8;
  /** Offset of {@code si_pid} (the {@code _kill} member of the union). */
  public static final int SI_PID = 16;
  /** Offset of {@code si_uid}. */
  public static final int SI_UID = 20;
  /** Offset of {@code si_addr} (the {@code _sigfault} member of the union). */
  public static final int SI_ADDR = 16;

  /** {@code UC_SIGCONTEXT_SS} (arch/x86/include/uapi/asm/ucontext.h). */
  public static final long UC_SIGCONTEXT_SS = 0x2;
  /** {@code UC_STRICT_RESTORE_SS}. */
  public static final long UC_STRICT_RESTORE_SS = 0x4;
  /** {@code SS_DISABLE}: {@code sas_ss_flags()} of a thread without an alternate stack. */
  public static final int SS_DISABLE = 2;
  /** {@code __USER_CS}: the 64-bit user code selector (GDT entry 6, RPL 3). */
  public static final int USER_CS = 0x33;
  /** {@code __USER_DS}: the user data/stack selector (GDT entry 5, RPL 3). */
  public static final int USER_DS = 0x2b;

  static {
    int[] order = {
      Registers.R8, Registers.R9, Registers.R10, Registers.R11, Registers.R12, Registers.R13,
      Registers.R14, Registers.R15, Registers.RDI, Registers.RSI, Registers.RBP, Registers.RBX,
      Registers.RDX, Registers.RAX, Registers.RCX, Registers.RSP
    };
    for (int i = 0; i < order.length; i++) {
      SC_GPR[order[i]] = i * 8;
    }
  }

  private final byte[] image = new byte[SIZE];
  private final ByteBuffer buf = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
  private long restoredMask;

  /** The sigcontext offset of general-purpose register {@code reg}. */
  public static int sigcontextOffset(int reg) {
    return SC_GPR[reg];
  }

  /**
   * Where the frame goes for a task whose RSP is {@code rsp}: {@code round_down(rsp - 128 - SIZE,
   * 16) - 8}.
   */
  public static long frameAddress(long rsp) {
    return ((rsp - RED_ZONE - SIZE) & -FRAME_ALIGNMENT) - 8;
  }

  /**
   * Writes a frame at {@code frame} saving {@code ctx} and {@code savedMask}, with {@code restorer}
   * as the return address and, when {@code withInfo}, the siginfo. All-or-nothing: when any byte of
   * the frame is not writable nothing is written.
   *
   * @return false when the frame could not be written (the caller forces SIGSEGV)
   */
  public boolean write(AddressSpace memory, long frame, ThreadContext ctx, long restorer,
      long savedMask, SigInfo info, boolean withInfo) {
    java.util.Arrays.fill(image, (byte) 0);
    buf.putLong(PRETCODE, restorer);
    buf.putLong(UC_FLAGS, UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS);
    buf.putLong(UC_LINK, 0);
    buf.putLong(UC_STACK_SP, 0);
    buf.putInt(UC_STACK_FLAGS, SS_DISABLE);
    buf.putLong(UC_STACK_SIZE, 0);
    for (int reg = 0; reg < Registers.COUNT; reg++) {
      buf.putLong(MCONTEXT + SC_GPR[reg], ctx.get(reg));
    }
    buf.putLong(MCONTEXT + SC_IP, ctx.rip());
    buf.putLong(MCONTEXT + SC_FLAGS, ctx.rflags());
    buf.putShort(MCONTEXT + SC_CS, (short) USER_CS);
    buf.putShort(MCONTEXT + SC_SS, (short) USER_DS);
    boolean trap = info.trapNo != SigInfo.NO_TRAP;
    buf.putLong(MCONTEXT + SC_ERR, trap ? info.errorCode : 0);
    buf.putLong(MCONTEXT + SC_TRAPNO, trap ? info.trapNo : 0);
    buf.putLong(MCONTEXT + SC_OLDMASK, savedMask);
    buf.putLong(MCONTEXT + SC_CR2, trap ? info.addr : 0);
    buf.putLong(MCONTEXT + SC_FPSTATE, 0);
    buf.putLong(UC_SIGMASK, savedMask);
    int length = INFO;
    if (withInfo) {
      buf.putInt(INFO + SI_SIGNO, info.signo);
      buf.putInt(INFO + SI_ERRNO, 0);
      buf.putInt(INFO + SI_CODE, info.code);
      if (info.isFault()) {
        buf.putLong(INFO + SI_ADDR, info.addr);
      } else {
        buf.putInt(INFO + SI_PID, info.pid);
        buf.putInt(INFO + SI_UID, info.uid);
      }
      length = SIZE;
    }
    boolean ok = memory.write(frame, image, 0, length);
    memory.clearFault();
    return ok;
  }

  /**
   * Reads the frame at {@code frame} and restores the 16 registers, RIP and the status flags into
   * {@code ctx}; the saved blocked mask is then in {@link #restoredMask()}. Nothing is changed when
   * the frame cannot be read.
   *
   * @return false when the frame is not readable (the caller forces SIGSEGV)
   */
  public boolean read(AddressSpace memory, long frame, ThreadContext ctx) {
    boolean ok = memory.read(frame, image, 0, INFO);
    memory.clearFault();
    if (!ok) {
      return false;
    }
    for (int reg = 0; reg < Registers.COUNT; reg++) {
      ctx.set(reg, buf.getLong(MCONTEXT + SC_GPR[reg]));
    }
    ctx.setRip(buf.getLong(MCONTEXT + SC_IP));
    ctx.setRflags(buf.getLong(MCONTEXT + SC_FLAGS));
    restoredMask = buf.getLong(UC_SIGMASK);
    return true;
  }

  /** The {@code uc_sigmask} of the last {@link #read}. */
  public long restoredMask() {
    return restoredMask;
  }
}
