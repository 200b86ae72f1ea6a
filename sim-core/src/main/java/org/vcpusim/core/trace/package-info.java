/**
 * Timeline trace output: the {@link org.vcpusim.core.trace.TraceSink} interface, its no-op {@link
 * org.vcpusim.core.trace.TraceSink#NONE} and the in-memory {@link
 * org.vcpusim.core.trace.RecordingTraceSink}.
 */
package org.vcpusim.core.trace;
