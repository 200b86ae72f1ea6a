/** The Linux kernel model: machine, tasks, scheduler, return to user, rseq, mm_cid, GS mode. */
package org.vcpusim.kernel;
