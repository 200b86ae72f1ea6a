/** JMH benchmarks of the engine and the interpreter, and the host calibration driver. */
package org.vcpusim.benchmarks;
