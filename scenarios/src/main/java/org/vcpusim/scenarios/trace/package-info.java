/**
 * The schedule of a run as a Perfetto-loadable trace and as report excerpts: {@link
 * org.vcpusim.scenarios.trace.ScheduleRecorder} watches a {@code Machine} (scheduler events and
 * kernel events: rseq aborts, cid changes, GS-base writes) with bounded memory, and {@link
 * org.vcpusim.scenarios.trace.ChromeTraceWriter} writes {@code trace.json} in the Chrome
 * trace-event format that ui.perfetto.dev and chrome://tracing open.
 */
package org.vcpusim.scenarios.trace;
