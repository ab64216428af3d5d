/**
 * How many threads llama.cpp may use for all model processes together.
 *
 * llama.cpp's threads meet at a barrier for every graph node, so one thread descheduled by
 * anything else on the machine stalls the others for a whole time slice. Measured on a 2-core
 * machine with node-llama-cpp 3.22.1: stories260K generates ~1,300 tok/s on 1 thread and 70-100
 * tok/s on 2 as soon as a second process is busy. So on small machines one core stays with the
 * app (UI, database, engine); larger machines use every math core. `CONCLAVE_THREADS` overrides.
 */
export function defaultThreads(cpuMathCores: number, env: NodeJS.ProcessEnv = process.env): number {
  const override = Number(env.CONCLAVE_THREADS);
  if (Number.isInteger(override) && override > 0) return override;
  return cpuMathCores <= 4 ? Math.max(1, cpuMathCores - 1) : cpuMathCores;
}
