import { getLlama, readGgufFileInfo, GgufInsights } from "node-llama-cpp";
import { generatedModel, realTestModel } from "./models/testModels.js";
const llama = await getLlama({ build: "never", gpu: false });
for (const file of [await generatedModel("small-100m"), await generatedModel("small"), await realTestModel(), await generatedModel("medium-400m")]) {
  const ins = await GgufInsights.from(await readGgufFileInfo(file), llama);
  const mb = (x: number) => (x / 1e6).toFixed(1);
  const e = (o: object) => mb(ins.estimateContextResourceRequirements({ contextSize: 2048, modelGpuLayers: 0, sequences: 1, ...o }).cpuRam);
  console.log(file.split("/").pop(), "default", e({}), "noGraph", e({ includeGraphOverhead: false }), "batch128", e({ batchSize: 128 }), "noGraph b128", e({ includeGraphOverhead: false, batchSize: 128 }));
}
