/*
 * Native host calibration of vcpusim's cost model.
 *
 * Links the SAME GNU as routines that `vcpusim asm` runs (the files in ../routines). glibc
 * >= 2.35 owns rseq registration and exports __rseq_offset/__rseq_size; the routines address the
 * area as %fs:__rseq_offset like any glibc user. When glibc's registration is off
 * (glibc.pthread.rseq=0, __rseq_size == 0) the harness registers glibc's reserved area itself;
 * with a glibc older than 2.35 it defines __rseq_offset over its own TLS area.
 *
 * It pins itself to one CPU, sets the GS base for the GS-mode routine (WRGSBASE when AT_HWCAP2
 * has HWCAP2_FSGSBASE, else arch_prctl(ARCH_SET_GS)) and measures each routine's throughput cost
 * per call: ROUNDS rounds, each timing (TSC) CALLS back-to-back indirect calls of every routine
 * (calib_call_loop, driver.s) and one dependent add chain. calib_empty (only `ret`) gives the
 * call-loop overhead, so each routine is reported with the loop ("cycles": comparable to the
 * simulator's cycles_per_iteration, which also calls the routine with call/ret) and without it
 * ("cycles_without_loop", same-round empty figure subtracted). TSC ticks become nanoseconds
 * through the TSC rate measured against CLOCK_MONOTONIC_RAW, and core cycles through the same
 * round's add chain (1 cycle per dependent add; reference userspace.md section 5.4).
 *
 * Then it checks that rseq is live: cpu_id in the area == sched_getcpu() == the pinned CPU and,
 * for STRESS seconds per routine, two threads pinned to that CPU run the routine so preemptions
 * land inside critical sections: the abort handlers' counters must move (at least for one
 * routine) and the per-CPU data must stay consistent (counter sum == calls, slab still holds
 * its four objects).
 *
 * Output, one JSON object per line on stdout: {"host": {...}}, then per routine
 * {"routine": NAME, "cycles": {"median","min","max"}, "cycles_without_loop": {...},
 * "ns": {...}, "aborts_during_measurement": N}, then {"rseq_check": {...}}. Diagnostics go to
 * stderr; CALIBRATE_VERBOSE=1 also prints every round. Exit 1 when a check fails.
 *
 * Usage: calibrate [--cpu N] [--calls N] [--rounds N] [--stress-seconds S]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <gnu/libc-version.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>
#include <asm/prctl.h>
#include <linux/perf_event.h>

#if !defined(CALIB_OWN_RSEQ_AREA) && defined(__GLIBC__) && \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35))
#include <sys/rseq.h>
#define HAVE_GLIBC_RSEQ 1
#else
/* glibc older than 2.35 exports no __rseq_offset: define it here over our own TLS area
 * (-DCALIB_OWN_RSEQ_AREA forces this path, to test it under glibc.pthread.rseq=0). */
#define HAVE_GLIBC_RSEQ 0
#include <linux/rseq.h>
ptrdiff_t __rseq_offset;
unsigned int __rseq_size;
static __thread struct rseq calib_rseq_area __attribute__((aligned(32)));
#endif

#ifndef SYS_rseq
#define SYS_rseq 334 /* x86-64 */
#endif
#ifndef HWCAP2_FSGSBASE
#define HWCAP2_FSGSBASE (1 << 1)
#endif
#define CALIB_RSEQ_SIG 0x53053053u

/* Routines (the files in ../routines) and their data. */
extern void calib_empty(void);
extern void percpu_counter(void);
extern void slab_pop_push(void);
extern void gs_pop_push(void);
extern void slab_rot_pop_push(void), gs_rot_pop_push(void);
extern void slab_dep_pop_push(void), gs_dep_pop_push(void);
extern void alu_block(void);
extern volatile uint64_t pc_aborts, sl_aborts, sl_slowpaths, gs_aborts, gs_slowpaths;
extern volatile uint64_t sr_aborts, sr_slowpaths, gr_aborts, gr_slowpaths;
extern volatile uint64_t sd_aborts, sd_slowpaths, gd_aborts, gd_slowpaths;
extern volatile int64_t pc_counters[];
extern unsigned char sl_slab_region[], gs_slab_region[], sl_objects[], gs_objects[];
extern unsigned char sr_slab_region[], gr_slab_region[], sr_objects[], gr_objects[];
extern unsigned char sd_slab_region[], gd_slab_region[], sd_objects[], gd_objects[];
/* Native helpers (driver.s). */
extern void calib_call_loop(void (*fn)(void), uint64_t n);
extern uint64_t calib_add_chain(uint64_t n);
extern uint64_t calib_imul_chain(uint64_t n);

enum { PC_STRIDE_WORDS = 128 / 8, PC_ENTRIES = 1024 };
enum { SLAB_SHIFT = 14, SL_REGIONS = 16, SLAB_CLASS = 1, SLAB_BEGIN = 2, SLAB_CURRENT = 6,
       SLAB_OBJECTS = 4 };
/* The rotating-class routines (*_rot_*, *_dep_*): classes 1..ROT_CLASSES, class k's begin
 * marker in slot ROT_FIRST_MARKER + ROT_CLASS_SLOTS * (k - 1), its four objects above it. */
enum { ROT_CLASSES = 8, ROT_FIRST_MARKER = 5, ROT_CLASS_SLOTS = 9 };

static long syscall_rseq(void *area, uint32_t len, int flags, uint32_t sig) {
  return syscall(SYS_rseq, area, len, flags, sig);
}

static inline void *thread_pointer(void) {
  void *tp;
  __asm__("movq %%fs:0, %0" : "=r"(tp));
  return tp;
}

static inline struct rseq *rseq_area(void) {
  return (struct rseq *)((char *)thread_pointer() + __rseq_offset);
}

static const char *rseq_owner = "glibc";

/* Makes sure the calling thread has rseq registered at thread pointer + __rseq_offset. */
static int ensure_rseq_registered(void) {
#if HAVE_GLIBC_RSEQ
  if (__rseq_size > 0) return 0;
  /* glibc reserved the area but did not register it (glibc.pthread.rseq=0): register it. A
   * non-negative cpu_id means the kernel already updates this area (glibc 2.36 still registers
   * threads it creates after the main thread's registration was disabled). */
  rseq_owner = "self (glibc area, glibc.pthread.rseq=0)";
  struct rseq *r = rseq_area();
  if ((int32_t)r->cpu_id >= 0) return 0;
  memset(r, 0, sizeof(*r));
  r->cpu_id = (uint32_t)RSEQ_CPU_ID_UNINITIALIZED;
  if (syscall_rseq(r, 32, 0, CALIB_RSEQ_SIG) != 0) {
    fprintf(stderr, "calibrate: sys_rseq registration failed: %s\n", strerror(errno));
    return -1;
  }
  return 0;
#else
  rseq_owner = "self (glibc < 2.35, own TLS area)";
  __rseq_offset = (char *)&calib_rseq_area - (char *)thread_pointer();
  __rseq_size = 32;
  calib_rseq_area.cpu_id = (uint32_t)RSEQ_CPU_ID_UNINITIALIZED;
  if (syscall_rseq(&calib_rseq_area, 32, 0, CALIB_RSEQ_SIG) != 0) {
    fprintf(stderr, "calibrate: sys_rseq registration failed: %s\n", strerror(errno));
    return -1;
  }
  return 0;
#endif
}

static int pin_to_cpu(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return sched_setaffinity(0, sizeof(set), &set);
}

static int have_fsgsbase(void) { return (getauxval(AT_HWCAP2) & HWCAP2_FSGSBASE) != 0; }

__attribute__((target("fsgsbase"))) static void write_gs_base_insn(uintptr_t base) {
  _writegsbase_u64(base);
}

static const char *gs_method;

/* Sets the calling thread's GS base. */
static int set_gs_base(uintptr_t base) {
  if (have_fsgsbase()) {
    gs_method = "wrgsbase";
    write_gs_base_insn(base);
    return 0;
  }
  gs_method = "arch_prctl(ARCH_SET_GS)";
  if (syscall(SYS_arch_prctl, ARCH_SET_GS, base) != 0) {
    fprintf(stderr, "calibrate: arch_prctl(ARCH_SET_GS) failed: %s\n", strerror(errno));
    return -1;
  }
  return 0;
}

static uint64_t get_gs_base(void) {
  unsigned long base = 0;
  syscall(SYS_arch_prctl, ARCH_GET_GS, &base);
  return base;
}

static inline uint64_t tsc_begin(void) {
  _mm_lfence();
  uint64_t t = __rdtsc();
  _mm_lfence();
  return t;
}

static inline uint64_t tsc_end(void) {
  unsigned aux;
  uint64_t t = __rdtscp(&aux);
  _mm_lfence();
  return t;
}

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* TSC ticks per nanosecond, against CLOCK_MONOTONIC_RAW over ~200 ms. */
static double measure_tsc_ghz(void) {
  double t0 = now_ns();
  uint64_t c0 = tsc_begin();
  while (now_ns() - t0 < 2e8) {
  }
  double t1 = now_ns();
  uint64_t c1 = tsc_end();
  return (double)(c1 - c0) / (t1 - t0);
}

/* Voluntary + involuntary context switches of the calling thread so far. */
static long context_switches(void) {
  struct rusage ru;
  getrusage(RUSAGE_THREAD, &ru);
  return ru.ru_nvcsw + ru.ru_nivcsw;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Hardware core-cycle counter (perf_event_open, user mode only) to cross-check the add-chain
 * clock where the host exposes one; -1 when it does not (e.g. a VM without a virtual PMU). */
static int perf_cycles_fd = -1;
static const char *perf_status = "not tried";

static void perf_cycles_open(void) {
  struct perf_event_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_HARDWARE;
  attr.config = PERF_COUNT_HW_CPU_CYCLES;
  attr.exclude_kernel = 1;
  attr.exclude_hv = 1;
  perf_cycles_fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
  perf_status = perf_cycles_fd >= 0 ? "ok" : strerror(errno);
}

static uint64_t perf_cycles_read(void) {
  uint64_t v = 0;
  if (perf_cycles_fd >= 0 && read(perf_cycles_fd, &v, sizeof v) != sizeof v) v = 0;
  return v;
}

/* Core cycles per TSC tick over one run of iters x 100 dependent adds. */
static double cycles_per_tick_once(uint64_t iters, double *perf_cycles_per_add) {
  uint64_t p0 = perf_cycles_read();
  uint64_t t0 = tsc_begin();
  calib_add_chain(iters);
  uint64_t t1 = tsc_end();
  *perf_cycles_per_add = (double)(perf_cycles_read() - p0) / (double)(iters * 100);
  return (double)(iters * 100) / (double)(t1 - t0);
}

/* Order statistics of a sample; p10/p90 by the nearest rank. Sorts v. */
struct stats {
  double min, p10, median, p90, max;
};

static struct stats summarize(double *v, int n) {
  qsort(v, n, sizeof(double), cmp_double);
  struct stats s = {v[0], v[(n - 1) / 10], n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2,
                    v[n - 1 - (n - 1) / 10], v[n - 1]};
  return s;
}

/* TSC ticks per call over one run of `calls` back-to-back calls. */
static double ticks_per_call_once(void (*fn)(void), uint64_t calls, double *perf_cycles) {
  uint64_t p0 = perf_cycles_read();
  uint64_t t0 = tsc_begin();
  calib_call_loop(fn, calls);
  uint64_t t1 = tsc_end();
  *perf_cycles = (double)(perf_cycles_read() - p0) / (double)calls;
  return (double)(t1 - t0) / (double)calls;
}

/* ---- consistency checks of the per-CPU data ---- */

static int64_t counter_sum(void) {
  int64_t s = 0;
  for (int i = 0; i < PC_ENTRIES; i++) s += pc_counters[i * PC_STRIDE_WORDS];
  return s;
}

/* Region 0's initial contents, copied to every other region so any pinned CPU < 16 works. */
static void replicate_slab_region(unsigned char *region0) {
  for (int c = 1; c < SL_REGIONS; c++)
    memcpy(region0 + ((size_t)c << SLAB_SHIFT), region0, (size_t)1 << SLAB_SHIFT);
}

/* True when the region holds class 1 with current == 6 and slots 2..5 = the four objects. */
static int slab_intact(const unsigned char *region, const unsigned char *objects) {
  const uint16_t *hdr = (const uint16_t *)region;
  const uint64_t *slot = (const uint64_t *)region;
  if (hdr[2 * SLAB_CLASS] != SLAB_CURRENT) return 0;
  if (slot[SLAB_BEGIN - 1] != 1) return 0;
  int seen = 0;
  for (int i = SLAB_BEGIN; i < SLAB_CURRENT; i++) {
    uint64_t off = slot[i] - (uint64_t)(uintptr_t)objects;
    if (slot[i] < (uint64_t)(uintptr_t)objects || off % 64 || off / 64 >= SLAB_OBJECTS) return 0;
    seen |= 1 << (off / 64);
  }
  return seen == (1 << SLAB_OBJECTS) - 1;
}

/* True when every class k of a rotating-class region holds its marker, current = marker + 5
 * and its own four objects (objects + 256 (k - 1) ..) below current. */
static int rot_slab_intact(const unsigned char *region, const unsigned char *objects) {
  const uint16_t *hdr = (const uint16_t *)region;
  const uint64_t *slot = (const uint64_t *)region;
  for (int k = 1; k <= ROT_CLASSES; k++) {
    int marker = ROT_FIRST_MARKER + ROT_CLASS_SLOTS * (k - 1);
    const unsigned char *own = objects + 64 * SLAB_OBJECTS * (k - 1);
    if (hdr[2 * k] != marker + 1 + SLAB_OBJECTS || slot[marker] != 1) return 0;
    int seen = 0;
    for (int i = marker + 1; i <= marker + SLAB_OBJECTS; i++) {
      uint64_t off = slot[i] - (uint64_t)(uintptr_t)own;
      if (slot[i] < (uint64_t)(uintptr_t)own || off % 64 || off / 64 >= SLAB_OBJECTS) return 0;
      seen |= 1 << (off / 64);
    }
    if (seen != (1 << SLAB_OBJECTS) - 1) return 0;
  }
  return 1;
}

/* ---- stress: two threads on one CPU running the same routine ----
 * The scheduler preempts one for the other (rseq_preempt), so a thread whose IP is inside a
 * critical section at that moment must go through its abort handler. (A SIGUSR1 storm from a
 * third thread added nothing on this host: signals reached the workers only at those same
 * scheduling points.) */

struct stress_arg {
  void (*fn)(void);
  int cpu;
  unsigned char *gs_region; /* GS base the routine needs, or NULL */
  atomic_int *stop;
  uint64_t calls;
  int ok;
};

static void *stress_thread(void *p) {
  struct stress_arg *a = p;
  a->ok = 0;
  if (pin_to_cpu(a->cpu) != 0 || ensure_rseq_registered() != 0) return NULL;
  if (a->gs_region && set_gs_base((uintptr_t)a->gs_region) != 0) return NULL;
  if ((int)rseq_area()->cpu_id != a->cpu) return NULL;
  uint64_t n = 0;
  while (!atomic_load_explicit(a->stop, memory_order_relaxed)) {
    calib_call_loop(a->fn, 1000);
    n += 1000;
  }
  a->calls = n;
  a->ok = 1;
  return NULL;
}

/* Runs fn on two threads pinned to cpu for seconds; returns 0 when both ran. */
static int stress(void (*fn)(void), int cpu, unsigned char *gs_region, double seconds,
                  uint64_t *calls) {
  atomic_int stop = 0;
  struct stress_arg a[2];
  pthread_t t[2];
  for (int i = 0; i < 2; i++) {
    a[i] = (struct stress_arg){fn, cpu, gs_region, &stop, 0, 0};
    if (pthread_create(&t[i], NULL, stress_thread, &a[i]) != 0) return -1;
  }
  struct timespec ts = {(time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9)};
  nanosleep(&ts, NULL);
  atomic_store(&stop, 1);
  for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
  *calls = a[0].calls + a[1].calls;
  return a[0].ok && a[1].ok ? 0 : -1;
}

/* ---- main ---- */

struct routine {
  const char *name;
  void (*fn)(void);
  volatile uint64_t *aborts, *slowpaths;
  unsigned char *region; /* slab region 0 (replicated per CPU unless it is the GS region) */
  unsigned char *objects;
  int gs;                /* the routine runs with GS base = region */
  int rotating;          /* rotating-class layout (rot_slab_intact) */
};

/* The routine's slab as the pinned CPU sees it, or NULL for non-slab routines. */
static unsigned char *routine_slab(const struct routine *r, int cpu) {
  if (!r->region) return NULL;
  return r->gs ? r->region : r->region + ((size_t)cpu << SLAB_SHIFT);
}

static int routine_slab_intact(const struct routine *r, int cpu) {
  if (!r->region) return 1;
  const unsigned char *slab = routine_slab(r, cpu);
  return (r->rotating ? rot_slab_intact(slab, r->objects) : slab_intact(slab, r->objects)) &&
         !*r->slowpaths;
}

static void read_cpu_model(char *model, size_t n, int *family, int *model_no) {
  FILE *f = fopen("/proc/cpuinfo", "r");
  char line[512];
  snprintf(model, n, "unknown");
  *family = *model_no = -1;
  if (!f) return;
  int got_name = 0;
  while (fgets(line, sizeof line, f)) {
    char *colon = strchr(line, ':');
    if (!colon) continue;
    char *v = colon + 1;
    while (*v == ' ' || *v == '\t') v++;
    v[strcspn(v, "\n")] = 0;
    if (!got_name && !strncmp(line, "model name", 10)) {
      snprintf(model, n, "%s", v);
      got_name = 1;
    } else if (*family < 0 && !strncmp(line, "cpu family", 10)) {
      *family = atoi(v);
    } else if (*model_no < 0 && !strncmp(line, "model\t", 6)) {
      *model_no = atoi(v);
    }
    if (got_name && *family >= 0 && *model_no >= 0) break;
  }
  fclose(f);
}

static void json_string(const char *s) {
  putchar('"');
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') putchar('\\');
    putchar(*s);
  }
  putchar('"');
}

static void json_stats(struct stats s, int digits) {
  printf("{\"median\": %.*f, \"p10\": %.*f, \"p90\": %.*f, \"min\": %.*f, \"max\": %.*f}",
         digits, s.median, digits, s.p10, digits, s.p90, digits, s.min, digits, s.max);
}

int main(int argc, char **argv) {
  int cpu = -1, reps = 400;
  uint64_t calls = 20000;
  double stress_seconds = 1.0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--cpu") && i + 1 < argc) cpu = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--calls") && i + 1 < argc) calls = strtoull(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) reps = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--stress-seconds") && i + 1 < argc) stress_seconds = atof(argv[++i]);
    else {
      fprintf(stderr, "usage: %s [--cpu N] [--calls N] [--rounds N] [--stress-seconds S]\n", argv[0]);
      return 2;
    }
  }
  if (reps < 1 || calls < 1) {
    fprintf(stderr, "calibrate: --rounds and --calls must be positive\n");
    return 2;
  }
  if (cpu < 0) { /* default: the highest CPU we may run on (CPU 0 takes most housekeeping) */
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
    for (int c = 0; c < SL_REGIONS; c++)
      if (CPU_ISSET(c, &set)) cpu = c;
  }
  if (cpu < 0 || cpu >= SL_REGIONS) {
    fprintf(stderr, "calibrate: CPU %d outside the %d slab regions\n", cpu, SL_REGIONS);
    return 2;
  }
  if (pin_to_cpu(cpu) != 0) {
    fprintf(stderr, "calibrate: sched_setaffinity(%d): %s\n", cpu, strerror(errno));
    return 1;
  }
  if (ensure_rseq_registered() != 0) return 1;
  replicate_slab_region(sl_slab_region);
  replicate_slab_region(sr_slab_region);
  replicate_slab_region(sd_slab_region);
  if (set_gs_base((uintptr_t)gs_slab_region) != 0) return 1;

  int failures = 0;
  struct rseq *area = rseq_area();
  int getcpu = sched_getcpu();
  int cpu_id = (int)area->cpu_id;
  if (cpu_id != getcpu || cpu_id != cpu) {
    fprintf(stderr, "calibrate: rseq cpu_id %d, sched_getcpu %d, pinned %d\n", cpu_id, getcpu, cpu);
    failures++;
  }
  if (get_gs_base() != (uint64_t)(uintptr_t)gs_slab_region) {
    fprintf(stderr, "calibrate: GS base not set\n");
    failures++;
  }

  char model[256];
  int family, model_no;
  read_cpu_model(model, sizeof model, &family, &model_no);
  double loadavg[1] = {-1};
  if (getloadavg(loadavg, 1) == 1 && loadavg[0] > 0.5)
    fprintf(stderr, "calibrate: load average %.2f: other tasks compete for the CPUs, expect noise\n",
            loadavg[0]);
  double tsc_ghz = measure_tsc_ghz();

  struct routine routines[] = {
      {"empty", calib_empty, NULL, NULL, NULL, NULL, 0, 0},
      {"percpu_counter", percpu_counter, &pc_aborts, NULL, NULL, NULL, 0, 0},
      {"slab_pop_push", slab_pop_push, &sl_aborts, &sl_slowpaths, sl_slab_region, sl_objects, 0, 0},
      {"gs_pop_push", gs_pop_push, &gs_aborts, &gs_slowpaths, gs_slab_region, gs_objects, 1, 0},
      {"slab_rot_pop_push", slab_rot_pop_push, &sr_aborts, &sr_slowpaths, sr_slab_region,
       sr_objects, 0, 1},
      {"gs_rot_pop_push", gs_rot_pop_push, &gr_aborts, &gr_slowpaths, gr_slab_region, gr_objects,
       1, 1},
      {"slab_dep_pop_push", slab_dep_pop_push, &sd_aborts, &sd_slowpaths, sd_slab_region,
       sd_objects, 0, 1},
      {"gs_dep_pop_push", gs_dep_pop_push, &gd_aborts, &gd_slowpaths, gd_slab_region, gd_objects,
       1, 1},
      {"alu_block", alu_block, NULL, NULL, NULL, NULL, 0, 0},
  };
  enum { NR = sizeof routines / sizeof routines[0] };
  /* Warm-up (caches, TLB, predictors, clock), then the rounds. A round times one add chain and
   * one window of `calls` calls of every routine (~0.5 ms in all); a round during which the
   * thread was switched out (getrusage context-switch counts moved) is discarded, so a shared
   * host's time slicing never enters the figures, only the rare interrupt. */
  const uint64_t warm_calls = 1000000, chain_iters = 2000; /* x 100 adds */
  int64_t sum0 = counter_sum();
  uint64_t aborts0[NR];
  perf_cycles_open();
  double perf_add_v[reps], perf_v[NR][reps], unused;
  cycles_per_tick_once(chain_iters * 50, &unused);
  /* Each GS routine has its own region: the GS base is switched to it (arch_prctl or WRGSBASE)
   * before its calls, outside every timed window. */
  uintptr_t gs_now = (uintptr_t)gs_slab_region;
#define USE_GS(r)                                                                    \
  do {                                                                               \
    if ((r).gs && (uintptr_t)(r).region != gs_now) {                                 \
      if (set_gs_base((uintptr_t)(r).region) != 0) return 1;                         \
      gs_now = (uintptr_t)(r).region;                                                \
    }                                                                                \
  } while (0)
  for (int i = 0; i < NR; i++) {
    USE_GS(routines[i]);
    calib_call_loop(routines[i].fn, warm_calls);
    aborts0[i] = routines[i].aborts ? *routines[i].aborts : 0;
  }
  double cpt_v[reps], tick_v[NR][reps];
  int kept = 0;
  for (int r = 0; r < reps; r++) {
    long sw0 = context_switches();
    cpt_v[kept] = cycles_per_tick_once(chain_iters, &perf_add_v[kept]);
    for (int i = 0; i < NR; i++) {
      USE_GS(routines[i]);
      tick_v[i][kept] = ticks_per_call_once(routines[i].fn, calls, &perf_v[i][kept]);
    }
    if (context_switches() == sw0) kept++;
  }
  if (kept < 5 || kept < reps / 10) {
    fprintf(stderr, "calibrate: only %d of %d rounds ran without a context switch\n", kept, reps);
    return 1;
  }
  /* Cross-check of the clock: dependent imul chain time over dependent add chain time, timed
   * back to back (same clock), median of 9 pairs; x86-64 imul r64 latency is 3 cycles. */
  double imul_ratio_v[9];
  for (int k = 0; k < 9; k++) {
    uint64_t t0 = tsc_begin();
    calib_add_chain(1000);
    uint64_t t1 = tsc_end();
    calib_imul_chain(1000);
    uint64_t t2 = tsc_end();
    imul_ratio_v[k] = (double)(t2 - t1) / (double)(t1 - t0);
  }
  double imul_cycles = summarize(imul_ratio_v, 9).median;
  if (getenv("CALIBRATE_VERBOSE")) { /* kept rounds, in TSC ticks per call */
    for (int r = 0; r < kept; r++) {
      fprintf(stderr, "round %3d: cycles/tick %.4f", r, cpt_v[r]);
      for (int i = 0; i < NR; i++) fprintf(stderr, "  %s %.3f", routines[i].name, tick_v[i][r]);
      fputc('\n', stderr);
    }
  }
  /* Per round: cycles = ticks x that round's cycles per tick (follows clock changes of the VM);
   * the call loop is subtracted with the same round's empty-routine figure. */
  struct stats cyc[NR], cyc_wo[NR], ns[NR];
  uint64_t aborts_during[NR];
  for (int i = 0; i < NR; i++) {
    double c[kept], w[kept], n[kept];
    for (int r = 0; r < kept; r++) {
      c[r] = tick_v[i][r] * cpt_v[r];
      w[r] = (tick_v[i][r] - tick_v[0][r]) * cpt_v[r];
      n[r] = tick_v[i][r] / tsc_ghz;
    }
    cyc[i] = summarize(c, kept);
    cyc_wo[i] = summarize(w, kept);
    ns[i] = summarize(n, kept);
    aborts_during[i] = routines[i].aborts ? *routines[i].aborts - aborts0[i] : 0;
  }
  double perf_add = 0, perf_call[NR];
  if (perf_cycles_fd >= 0) {
    perf_add = summarize(perf_add_v, kept).median;
    for (int i = 0; i < NR; i++) perf_call[i] = summarize(perf_v[i], kept).median;
  }
  struct stats ghz = summarize(cpt_v, kept);
  ghz.min *= tsc_ghz;
  ghz.p10 *= tsc_ghz;
  ghz.median *= tsc_ghz;
  ghz.p90 *= tsc_ghz;
  ghz.max *= tsc_ghz;

  /* Measurement-side checks: every percpu_counter call counted once; slabs intact. */
  int64_t expected_sum = sum0 + (int64_t)(calls * reps + warm_calls);
  if (counter_sum() != expected_sum) {
    fprintf(stderr, "calibrate: counter sum %lld, expected %lld\n", (long long)counter_sum(),
            (long long)expected_sum);
    failures++;
  }
  for (int i = 0; i < NR; i++)
    if (!routine_slab_intact(&routines[i], cpu)) {
      fprintf(stderr, "calibrate: %s: slab state corrupted after measurement\n", routines[i].name);
      failures++;
    }

  printf("{\"host\": {\"cpu\": ");
  json_string(model);
  printf(", \"family\": %d, \"model\": %d, \"tsc_ghz\": %.4f, \"core_ghz\": %.4f, "
         "\"core_ghz_p10\": %.4f, \"core_ghz_p90\": %.4f, \"pinned_cpu\": %d, "
         "\"loadavg_1m\": %.2f, \"glibc\": ",
         family, model_no, tsc_ghz, ghz.median, ghz.p10, ghz.p90, cpu, loadavg[0]);
  json_string(gnu_get_libc_version());
  printf(", \"rseq_owner\": ");
  json_string(rseq_owner);
  printf(", \"rseq_size\": %u, \"rseq_offset\": %td, \"rseq_cpu_id\": %d, \"sched_getcpu\": %d, "
         "\"fsgsbase\": %s, \"gs_base_method\": ",
         (unsigned)__rseq_size, __rseq_offset, cpu_id, getcpu, have_fsgsbase() ? "true" : "false");
  json_string(gs_method);
  printf(", \"imul_latency_cycles\": %.2f, \"perf_cycles\": ", imul_cycles);
  json_string(perf_status);
  if (perf_cycles_fd >= 0) printf(", \"perf_cycles_per_add\": %.4f", perf_add);
  printf(", \"calls_per_round\": %llu, \"rounds\": %d, \"rounds_kept\": %d}}\n",
         (unsigned long long)calls, reps, kept);

  for (int i = 0; i < NR; i++) {
    printf("{\"routine\": \"%s\", \"cycles\": ", routines[i].name);
    json_stats(cyc[i], 2);
    printf(", \"cycles_without_loop\": ");
    json_stats(cyc_wo[i], 2);
    printf(", \"ns\": ");
    json_stats(ns[i], 3);
    printf(", \"aborts_during_measurement\": %llu, \"perf_cycles_median\": ",
           (unsigned long long)aborts_during[i]);
    if (perf_cycles_fd >= 0) printf("%.2f}\n", perf_call[i]);
    else printf("null}\n");
  }

  /* rseq liveness: two threads on this CPU; aborts must occur and data must stay consistent. */
  if (stress_seconds > 0) {
    uint64_t total_aborts = 0;
    printf("{\"rseq_check\": {\"registered\": %s, \"cpu_id_matches\": %s, \"stress_seconds\": %.2f",
           cpu_id >= 0 ? "true" : "false",
           cpu_id == getcpu ? "true" : "false", stress_seconds);
    for (int i = 1; i < NR; i++) {
      if (!routines[i].aborts) continue; /* no rseq section (alu_block): nothing to check */
      uint64_t a0 = *routines[i].aborts, n = 0;
      int64_t s0 = counter_sum();
      int ran = stress(routines[i].fn, cpu, routines[i].gs ? routines[i].region : NULL,
                       stress_seconds, &n) == 0;
      uint64_t aborts = *routines[i].aborts - a0;
      int consistent;
      if (routines[i].fn == percpu_counter)
        consistent = counter_sum() == s0 + (int64_t)n;
      else
        consistent = routine_slab_intact(&routines[i], cpu);
      printf(", \"%s\": {\"calls\": %llu, \"aborts\": %llu, \"consistent\": %s}",
             routines[i].name, (unsigned long long)n, (unsigned long long)aborts,
             ran && consistent ? "true" : "false");
      if (!ran || !consistent) {
        fprintf(stderr, "calibrate: %s stress failed (ran %d, consistent %d)\n", routines[i].name,
                ran, consistent);
        failures++;
      }
      total_aborts += aborts;
      if (aborts == 0) /* percpu_counter's section is 3 instructions: preemption rarely lands */
        fprintf(stderr, "calibrate: %s: no abort in %.2f s of same-CPU contention\n",
                routines[i].name, stress_seconds);
    }
    printf("}}\n");
    if (total_aborts == 0) {
      fprintf(stderr, "calibrate: no rseq abort at all under same-CPU contention\n");
      failures++;
    }
  }
  return failures ? 1 : 0;
}
