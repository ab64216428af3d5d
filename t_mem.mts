import { ModelProcess } from "./electron/engine/worker/ModelProcess.js";
import { generatedModel, realTestModel } from "./models/testModels.js";
import { getLlama, readGgufFileInfo, GgufInsights } from "node-llama-cpp";
const llama = await getLlama({ build: "never", gpu: false });
const mb = (x: number) => (x / 1e6).toFixed(1);
for (const file of [await realTestModel(), await generatedModel("small"), await generatedModel("small-100m"), await generatedModel("medium-400m")]) {
  const ins = await GgufInsights.from(await readGgufFileInfo(file), llama);
  const ctxEst = ins.estimateContextResourceRequirements({ contextSize: 2048, modelGpuLayers: 0, sequences: 1, batchSize: 256, includeGraphOverhead: false }).cpuRam;
  const p = await ModelProcess.start();
  const base = (await p.request({ op: "stats" })).rssBytes;
  const l = await p.request({ op: "load", modelPath: file, threads: 2 });
  const o = await p.request({ op: "openSession", key: "a", contextSize: 2048, batchSize: 256 });
  await p.request({ op: "generate", key: "a", generationId: "g", turns: [{ role: "user", content: "hello there ".repeat(100) }], sampling: { temperature: 0.7, maxTokens: 8 } });
  const after = (await p.request({ op: "stats" })).rssBytes;
  console.log(file.split("/").pop()!.slice(0, 14), "weights", mb(l.modelBytes), "loadGrowth", mb(l.rssBytes - base), "| ctxEst(noGraph,b256)", mb(ctxEst), "ctxGrowth", mb(o.rssBytes - l.rssBytes), "| total after gen", mb(after - base), "est sum", mb(l.modelBytes + ctxEst));
  await p.stop();
}
