/**
 * The scheduler: {@link org.vcpusim.kernel.sched.FairScheduler}, a deterministic model of the Linux
 * fair scheduler over per-CPU {@link org.vcpusim.kernel.sched.RunQueue}s, with its per-task
 * ({@link org.vcpusim.kernel.sched.SchedTask}) and per-process ({@link
 * org.vcpusim.kernel.sched.SchedProcess}) state, its tunables ({@link
 * org.vcpusim.kernel.sched.SchedParams}), the events it announces ({@link
 * org.vcpusim.kernel.sched.SchedObserver}) and an invariant checker ({@link
 * org.vcpusim.kernel.sched.SchedInvariants}). It depends on nothing but the machine shape
 * ({@code org.vcpusim.kernel.topology}): time is a {@code long} of picoseconds passed in by the
 * caller, and nothing here is random.
 */
package org.vcpusim.kernel.sched;
