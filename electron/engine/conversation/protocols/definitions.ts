/**
 * The seven protocol kinds as plans (see plan.ts). Each reads the experiment's protocol fields and
 * defaults the rest from the role order; README.md beside this file describes each in words.
 */
import type { Experiment } from "../../../../shared/experiment.js";
import { ROUTED, type ProtocolPlan, type Step } from "./plan.js";

const GUIDANCE =
  "Write your message in plain words and cite messages by their labels (such as m3); you are asked for its type, references and confidence after it.";

function roundtable(e: Experiment): ProtocolPlan {
  const roles = e.roles.map((r) => r.name);
  const p = e.protocol;
  const chair = p.chair ?? roles[0]!;
  const rounds = p.rounds ?? 2;
  const final: Step[] = [];
  if (p.vote !== false) {
    final.push({
      op: "vote",
      phase: "vote",
      voters: p.voters ?? roles,
      from: ["propose", "revise"],
      blind: false,
      instruction: "Vote: rank the other members' latest proposals, best first.",
    });
  }
  final.push({
    op: "speak",
    phase: "synthesis",
    speakers: [chair],
    types: ["consensus", "answer"],
    instruction: "As chair, synthesize the committee's answer from the proposals, critiques and vote; cite what you use.",
  });
  return {
    kind: "roundtable",
    summary: `roundtable of ${roles.join(", ")}: propose → critique → revise for up to ${rounds} rounds, vote, ${chair} synthesizes`,
    guidance: `You sit on a roundtable committee. ${GUIDANCE}`,
    steps: [
      {
        op: "rounds",
        count: rounds,
        ...(p.stopWhen === "rounds" ? {} : { stopWhen: { phase: "critique", type: "consensus" as const } }),
        body: [
          { op: "speak", phase: "propose", when: "first", speakers: roles, types: ["proposal"], instruction: "Round {round}: propose your answer to the task." },
          {
            op: "speak",
            phase: "revise",
            when: "later",
            speakers: roles,
            types: ["revision", "proposal"],
            instruction: "Round {round}: revise your proposal in the light of the critiques; cite them.",
          },
          ...(p.checkProposals ? [{ op: "command" as const, phase: "proposal-check", check: "experiment" as const, of: ["propose", "revise"], each: true, to: roles }] : []),
          {
            op: "speak",
            phase: "critique",
            speakers: roles,
            types: ["critique", "consensus", "question"],
            instruction: "Round {round}: critique the other proposals and cite them; reply with type consensus if you agree with them.",
          },
        ],
      },
      { op: "round", body: final },
    ],
  };
}

function debate(e: Experiment): ProtocolPlan {
  const p = e.protocol;
  // The judge (chair) does not argue, unless it is the only role.
  const all = e.roles.map((r) => r.name);
  const debaters = all.filter((r) => r !== p.chair);
  const roles = debaters.length > 0 ? debaters : all;
  const rounds = p.rounds ?? 2;
  const final: Step[] = [];
  if (p.chair) {
    final.push({
      op: "speak",
      phase: "verdict",
      speakers: [p.chair],
      types: ["answer", "consensus"],
      instruction: "Judge the debate: say which position is strongest and why, citing the arguments.",
    });
  }
  if (p.vote !== false) {
    final.push({ op: "vote", phase: "vote", voters: p.voters ?? roles, from: ["argue"], blind: false, instruction: "Vote: rank the other debaters' final arguments, best first." });
  }
  return {
    kind: "debate",
    summary: `debate between ${roles.join(", ")} for ${rounds} rounds${p.chair ? `, judged by ${p.chair}` : ""}`,
    guidance: `You take part in a debate. ${GUIDANCE}`,
    steps: [
      {
        op: "rounds",
        count: rounds,
        body: [
          { op: "speak", phase: "argue", when: "first", speakers: roles, types: ["proposal", "analysis"], instruction: "Round {round}: state your position on the task." },
          {
            op: "speak",
            phase: "argue",
            when: "later",
            speakers: roles,
            types: ["critique", "proposal", "consensus"],
            instruction: "Round {round}: rebut the other side's latest arguments, citing them, and restate your position.",
          },
        ],
      },
      ...(final.length > 0 ? [{ op: "round" as const, body: final }] : []),
    ],
  };
}

function pipeline(e: Experiment): ProtocolPlan {
  const steps = e.protocol.steps ?? e.roles.map((r) => r.name);
  const body: Step[] = steps.map((role, i): Step => {
    const last = i === steps.length - 1;
    const speak =
      i === 0
        ? { phase: "generate", types: ["answer" as const, "proposal" as const], instruction: "Step 1 (generate): answer the task." }
        : last
          ? {
              phase: "validate",
              types: ["consensus" as const, "critique" as const, "answer" as const],
              instruction: `Step ${i + 1} (validate): check the result; reply consensus if it holds, critique if it does not; cite it.`,
            }
          : { phase: "enrich", types: ["revision" as const, "analysis" as const], instruction: `Step ${i + 1} (enrich): improve and extend the previous step's output; cite it.` };
    return { op: "round", body: [{ op: "speak", speakers: [role], ...speak }] };
  });
  return {
    kind: "pipeline",
    summary: `pipeline ${steps.join(" → ")}`,
    guidance: `You are one stage of a pipeline. ${GUIDANCE}`,
    steps: body,
  };
}

function parallel(e: Experiment): ProtocolPlan {
  const roles = e.roles.map((r) => r.name);
  const merger = e.protocol.chair ?? roles[0]!;
  const others = roles.filter((r) => r !== merger);
  const workers = others.length > 0 ? others : roles;
  return {
    kind: "parallel",
    summary: `parallel work by ${workers.join(", ")}, merged by ${merger}`,
    guidance: `You work in parallel with others on one task. ${GUIDANCE}`,
    steps: [
      {
        op: "round",
        body: [
          {
            op: "speak",
            phase: "work",
            speakers: workers,
            concurrent: true,
            privateView: true,
            types: ["proposal", "answer", "analysis"],
            instruction: "Work on the task on your own.",
          },
        ],
      },
      {
        op: "round",
        body: [{ op: "speak", phase: "merge", speakers: [merger], types: ["answer", "consensus"], instruction: "Merge the workers' results into one answer; cite each one you use." }],
      },
    ],
  };
}

function validate(e: Experiment): ProtocolPlan {
  const roles = e.roles.map((r) => r.name);
  const p = e.protocol;
  const producer = p.producer ?? roles[0]!;
  const commandGate = p.validator !== undefined && typeof p.validator !== "string";
  const validator = typeof p.validator === "string" ? p.validator : commandGate ? "the command check" : roles.at(-1)!;
  const corrector = p.corrector ?? producer;
  const gate: Step = commandGate
    ? { op: "command", phase: "check", check: "validator", of: ["produce", "correct"], to: [corrector] }
    : {
        op: "speak",
        phase: "check",
        speakers: [validator],
        types: ["consensus", "critique"],
        instruction: "Check the latest answer: reply with type consensus if it is acceptable, critique (saying what is wrong) if not.",
      };
  const max = p.maxAttempts ?? 3;
  return {
    kind: "validate",
    summary: `validation loop: ${producer} answers, ${validator} checks, ${corrector} corrects, at most ${max} attempts`,
    guidance: `You take part in a validation loop. ${GUIDANCE}`,
    steps: [
      {
        op: "loop",
        maxAttempts: max,
        passWhen: { phase: "check", type: "consensus" },
        body: [
          { op: "speak", phase: "produce", when: "first", speakers: [producer], types: ["answer", "proposal"], instruction: "Answer the task." },
          {
            op: "speak",
            phase: "correct",
            when: "later",
            speakers: [corrector],
            types: ["revision", "answer"],
            instruction: "Attempt {attempt} of {max}: fix what the validator found wrong; cite its critique.",
          },
          gate,
        ],
        onFail: [
          {
            op: "speak",
            phase: "best-effort",
            speakers: [corrector],
            types: ["answer", "revision"],
            instruction: "The answer did not pass validation within {max} attempts: give your final best effort.",
          },
        ],
      },
    ],
  };
}

function route(e: Experiment): ProtocolPlan {
  const roles = e.roles.map((r) => r.name);
  const p = e.protocol;
  const bands = p.complexity ?? roles.map((role, i) => ({ upTo: (i + 1) / roles.length, role }));
  return {
    kind: "route",
    summary: `router over ${roles.join(", ")} (${p.routes?.length ?? 0} rules, then complexity bands)`,
    guidance: `You answer tasks a router sends you. ${GUIDANCE}`,
    steps: [
      {
        op: "route",
        rules: p.routes ?? [],
        bands,
        body: [{ op: "round", body: [{ op: "speak", phase: "answer", speakers: [ROUTED], types: ["answer"], instruction: "Answer the task." }] }],
      },
    ],
  };
}

function compare(e: Experiment): ProtocolPlan {
  const roles = e.roles.map((r) => r.name);
  const steps: Step[] = [
    {
      op: "round",
      body: [
        { op: "speak", phase: "answer", speakers: roles, concurrent: true, privateView: true, plain: true, types: ["answer"], instruction: "Answer the task." },
      ],
    },
  ];
  if (e.protocol.vote !== false) {
    steps.push({
      op: "round",
      body: [
        {
          op: "vote",
          phase: "vote",
          voters: e.protocol.voters ?? roles,
          from: ["answer"],
          blind: true,
          instruction: "Blind vote: rank these anonymous answers to the task, best first.",
        },
      ],
    });
  }
  return {
    kind: "compare",
    summary: `side-by-side: the same task to ${roles.join(", ")}, then a blind vote`,
    guidance: "You answer a task independently, in plain words.",
    steps,
  };
}

const BUILDERS = { roundtable, debate, pipeline, parallel, validate, route, compare } as const;

/** The plan for an experiment's protocol. */
export function planFor(e: Experiment): ProtocolPlan {
  return BUILDERS[e.protocol.kind](e);
}
