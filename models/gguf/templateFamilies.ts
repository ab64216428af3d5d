/**
 * Chat-template families a generated GGUF can carry: each family's special tokens, end token and a
 * Jinja `tokenizer.chat_template` close to the official one, written so node-llama-cpp's
 * `resolveChatWrapper` recognises the family (it renders sample chats with the template and with
 * each specialised wrapper, and keeps the wrapper whose rendering matches).
 */

/** The chat-template families of scripted and generated models. */
export const SCRIPT_TEMPLATES = ["chatml", "llama3", "qwen3", "deepseek-r1", "harmony", "gemma", "mistral", "phi3"] as const;
export type ScriptTemplate = (typeof SCRIPT_TEMPLATES)[number];

/** Whether `name` is a known template family. */
export function isScriptTemplate(name: string): name is ScriptTemplate {
  return (SCRIPT_TEMPLATES as readonly string[]).includes(name);
}

/** A special token: control tokens are parsed only in template text, user-defined ones in any text (as in the real models). */
export interface FamilyToken {
  text: string;
  type: "control" | "userDefined";
}

/** What a family puts into a GGUF. */
export interface TemplateFamily {
  name: ScriptTemplate;
  /** `general.architecture`: node-llama-cpp offers its Qwen wrapper only to qwen-architecture files. */
  architecture: "llama" | "qwen3";
  /** `general.name`, as the family's models call themselves. */
  generalName: string;
  specialTokens: readonly FamilyToken[];
  /** Text of the BOS token (always one of `specialTokens`). */
  bos: string;
  addBos: boolean;
  /** The token that ends a model turn: scripts finish with it. */
  eos: string;
  chatTemplate: string;
  /** How the family marks a thought, when it has thoughts. */
  thought: { open: string; close: string } | null;
  /** node-llama-cpp's `wrapperName` for the wrapper that `resolveChatWrapper` should pick. */
  wrapperName: string;
}

const control = (...texts: string[]): FamilyToken[] => texts.map((text) => ({ text, type: "control" }));
const userDefined = (...texts: string[]): FamilyToken[] => texts.map((text) => ({ text, type: "userDefined" }));

const CHATML =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

// Meta-Llama-3-8B-Instruct's template.
const LLAMA3 =
  "{% set loop_messages = messages %}{% for message in loop_messages %}" +
  "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}" +
  "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

// Qwen3's template: tools, and thoughts kept on the turns after the last user query.
const QWEN3 = `{%- if tools %}
    {{- '<|im_start|>system\\n' }}
    {%- if messages[0].role == 'system' %}
        {{- messages[0].content + '\\n\\n' }}
    {%- endif %}
    {{- "# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}
    {%- for tool in tools %}
        {{- "\\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}
{%- else %}
    {%- if messages[0].role == 'system' %}
        {{- '<|im_start|>system\\n' + messages[0].content + '<|im_end|>\\n' }}
    {%- endif %}
{%- endif %}
{%- set ns = namespace(multi_step_tool=true, last_query_index=messages|length - 1) %}
{%- for message in messages[::-1] %}
    {%- set index = (messages|length - 1) - loop.index0 %}
    {%- if ns.multi_step_tool and message.role == "user" and message.content is string and not(message.content.startswith('<tool_response>') and message.content.endswith('</tool_response>')) %}
        {%- set ns.multi_step_tool = false %}
        {%- set ns.last_query_index = index %}
    {%- endif %}
{%- endfor %}
{%- for message in messages %}
    {%- if message.content is string %}
        {%- set content = message.content %}
    {%- else %}
        {%- set content = '' %}
    {%- endif %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) %}
        {{- '<|im_start|>' + message.role + '\\n' + content + '<|im_end|>' + '\\n' }}
    {%- elif message.role == "assistant" %}
        {%- set reasoning_content = '' %}
        {%- if message.reasoning_content is string %}
            {%- set reasoning_content = message.reasoning_content %}
        {%- else %}
            {%- if '</think>' in content %}
                {%- set reasoning_content = content.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') %}
                {%- set content = content.split('</think>')[-1].lstrip('\\n') %}
            {%- endif %}
        {%- endif %}
        {%- if loop.index0 > ns.last_query_index %}
            {%- if loop.last or (not loop.last and reasoning_content) %}
                {{- '<|im_start|>' + message.role + '\\n<think>\\n' + reasoning_content.strip('\\n') + '\\n</think>\\n\\n' + content.lstrip('\\n') }}
            {%- else %}
                {{- '<|im_start|>' + message.role + '\\n' + content }}
            {%- endif %}
        {%- else %}
            {{- '<|im_start|>' + message.role + '\\n' + content }}
        {%- endif %}
        {%- if message.tool_calls %}
            {%- for tool_call in message.tool_calls %}
                {%- if (loop.first and content) or (not loop.first) %}
                    {{- '\\n' }}
                {%- endif %}
                {%- if tool_call.function %}
                    {%- set tool_call = tool_call.function %}
                {%- endif %}
                {{- '<tool_call>\\n{"name": "' }}
                {{- tool_call.name }}
                {{- '", "arguments": ' }}
                {%- if tool_call.arguments is string %}
                    {{- tool_call.arguments }}
                {%- else %}
                    {{- tool_call.arguments | tojson }}
                {%- endif %}
                {{- '}\\n</tool_call>' }}
            {%- endfor %}
        {%- endif %}
        {{- '<|im_end|>\\n' }}
    {%- elif message.role == "tool" %}
        {%- if loop.first or (messages[loop.index0 - 1].role != "tool") %}
            {{- '<|im_start|>user' }}
        {%- endif %}
        {{- '\\n<tool_response>\\n' }}
        {{- content }}
        {{- '\\n</tool_response>' }}
        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
            {{- '<|im_end|>\\n' }}
        {%- endif %}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
    {%- if enable_thinking is defined and enable_thinking is false %}
        {{- '<think>\\n\\n</think>\\n\\n' }}
    {%- endif %}
{%- endif %}`;

// DeepSeek-R1-Distill's template without its tool-call branches: system text first, thoughts
// dropped from earlier answers.
const DEEPSEEK_R1 =
  "{% if not add_generation_prompt is defined %}{% set add_generation_prompt = false %}{% endif %}" +
  "{% set ns = namespace(system_prompt='') %}" +
  "{%- for message in messages %}{%- if message['role'] == 'system' %}{% if ns.system_prompt %}{% set ns.system_prompt = ns.system_prompt + '\\n\\n' + message['content'] %}{% else %}{% set ns.system_prompt = message['content'] %}{% endif %}{%- endif %}{%- endfor %}" +
  "{{ bos_token }}{{ ns.system_prompt }}" +
  "{%- for message in messages %}" +
  "{%- if message['role'] == 'user' %}{{ '<｜User｜>' + message['content'] }}{%- endif %}" +
  "{%- if message['role'] == 'assistant' %}{% set content = message['content'] %}{% if '</think>' in content and not loop.last %}{% set content = content.split('</think>')[-1] %}{% endif %}" +
  "{{ '<｜Assistant｜>' + content }}{% if not loop.last %}{{ '<｜end▁of▁sentence｜>' }}{% endif %}{%- endif %}" +
  "{%- endfor -%}" +
  "{% if add_generation_prompt %}{{ '<｜Assistant｜>' }}{% endif %}";

// Gemma 3's template: the system text opens the first user turn.
const GEMMA =
  "{{ bos_token }}" +
  "{%- if messages[0]['role'] == 'system' -%}{%- set first_user_prefix = messages[0]['content'] + '\\n\\n' -%}{%- set loop_messages = messages[1:] -%}" +
  "{%- else -%}{%- set first_user_prefix = '' -%}{%- set loop_messages = messages -%}{%- endif -%}" +
  "{%- for message in loop_messages -%}" +
  "{%- if (message['role'] == 'assistant') -%}{%- set role = 'model' -%}{%- else -%}{%- set role = message['role'] -%}{%- endif -%}" +
  "{{ '<start_of_turn>' + role + '\\n' + (first_user_prefix if loop.first else '') }}{{ message['content'] | trim }}{{ '<end_of_turn>\\n' }}" +
  "{%- endfor -%}" +
  "{%- if add_generation_prompt -%}{{ '<start_of_turn>model\\n' }}{%- endif -%}";

// Mistral's v3/tekken instruct format: the system text opens the last user turn.
const MISTRAL =
  "{%- if messages[0]['role'] == 'system' %}{%- set system_message = messages[0]['content'] %}{%- set loop_messages = messages[1:] %}" +
  "{%- else %}{%- set loop_messages = messages %}{%- endif %}" +
  "{{- bos_token }}" +
  "{%- for message in loop_messages %}" +
  "{%- if message['role'] == 'user' %}" +
  "{%- if loop.last and system_message is defined %}{{- '[INST]' + system_message + '\\n\\n' + message['content'] + '[/INST]' }}" +
  "{%- else %}{{- '[INST]' + message['content'] + '[/INST]' }}{%- endif %}" +
  "{%- elif message['role'] == 'assistant' %}{{- message['content'] }}{%- if not loop.last %}{{- eos_token }}{%- endif %}" +
  "{%- endif %}" +
  "{%- endfor %}";

// Phi-3-mini-instruct's template.
const PHI3 =
  "{% for message in messages %}" +
  "{% if message['role'] == 'system' %}{{'<|system|>\\n' + message['content'] + '<|end|>\\n'}}" +
  "{% elif message['role'] == 'user' %}{{'<|user|>\\n' + message['content'] + '<|end|>\\n'}}" +
  "{% elif message['role'] == 'assistant' %}{{'<|assistant|>\\n' + message['content'] + '<|end|>\\n'}}{% endif %}" +
  "{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% else %}{{ eos_token }}{% endif %}";

// gpt-oss's Harmony template without its tool branches: the system preamble (identity, cutoff,
// today's date, reasoning effort, channels), the developer instructions, user turns, and answers on
// the final channel (the last one's analysis thought too when it is not a generation prompt).
const HARMONY = `{{- "<|start|>system<|message|>" }}
{%- if model_identity is not defined %}{%- set model_identity = "You are ChatGPT, a large language model trained by OpenAI." %}{%- endif %}
{{- model_identity + "\n" }}
{{- "Knowledge cutoff: 2024-06\n" }}
{{- "Current date: " + strftime_now("%Y-%m-%d") + "\n\n" }}
{%- if reasoning_effort is not defined %}{%- set reasoning_effort = "medium" %}{%- endif %}
{{- "Reasoning: " + reasoning_effort + "\n\n" }}
{{- "# Valid channels: analysis, commentary, final. Channel must be included for every message." }}
{{- "<|end|>" }}
{%- if messages[0].role == "developer" or messages[0].role == "system" %}
    {%- set developer_message = messages[0].content %}
    {%- set loop_messages = messages[1:] %}
{%- else %}
    {%- set developer_message = "" %}
    {%- set loop_messages = messages %}
{%- endif %}
{%- if developer_message %}
    {{- "<|start|>developer<|message|>" }}
    {{- "# Instructions\n\n" }}
    {{- developer_message }}
    {{- "\n\n" }}
    {{- "<|end|>" }}
{%- endif %}
{%- for message in loop_messages -%}
    {%- if message.role == 'assistant' -%}
        {%- if loop.last and not add_generation_prompt %}
            {%- if message.thinking %}
                {{- "<|start|>assistant<|channel|>analysis<|message|>" + message.thinking + "<|end|>" }}
            {%- endif %}
            {{- "<|start|>assistant<|channel|>final<|message|>" + message.content + "<|return|>" }}
        {%- else %}
            {{- "<|start|>assistant<|channel|>final<|message|>" + message.content + "<|end|>" }}
        {%- endif %}
    {%- elif message.role == 'user' or message.role == 'system' -%}
        {{- "<|start|>" + (message.role if message.role == 'user' else 'developer') + "<|message|>" + message.content + "<|end|>" }}
    {%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}
<|start|>assistant
{%- endif -%}`;

/** Every family, by name. */
export const TEMPLATE_FAMILIES: Readonly<Record<ScriptTemplate, TemplateFamily>> = {
  chatml: {
    name: "chatml", architecture: "llama", generalName: "Conclave Scripted ChatML",
    specialTokens: control("<|endoftext|>", "<|im_start|>", "<|im_end|>"),
    bos: "<|endoftext|>", addBos: false, eos: "<|im_end|>", chatTemplate: CHATML, thought: null, wrapperName: "ChatML",
  },
  llama3: {
    name: "llama3", architecture: "llama", generalName: "Conclave Scripted Llama 3",
    specialTokens: control("<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"),
    bos: "<|begin_of_text|>", addBos: true, eos: "<|eot_id|>", chatTemplate: LLAMA3, thought: null, wrapperName: "Llama 3",
  },
  qwen3: {
    name: "qwen3", architecture: "qwen3", generalName: "Conclave Scripted Qwen3",
    specialTokens: [
      ...control("<|endoftext|>", "<|im_start|>", "<|im_end|>"),
      ...userDefined("<tool_call>", "</tool_call>", "<tool_response>", "</tool_response>", "<think>", "</think>"),
    ],
    bos: "<|endoftext|>", addBos: false, eos: "<|im_end|>", chatTemplate: QWEN3, thought: { open: "<think>", close: "</think>" }, wrapperName: "Qwen",
  },
  "deepseek-r1": {
    name: "deepseek-r1", architecture: "llama", generalName: "Conclave Scripted DeepSeek R1 Distill",
    specialTokens: [...control("<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<｜User｜>", "<｜Assistant｜>"), ...userDefined("<think>", "</think>")],
    bos: "<｜begin▁of▁sentence｜>", addBos: true, eos: "<｜end▁of▁sentence｜>", chatTemplate: DEEPSEEK_R1,
    thought: { open: "<think>", close: "</think>" }, wrapperName: "DeepSeek",
  },
  harmony: {
    name: "harmony", architecture: "llama", generalName: "Conclave Scripted gpt-oss",
    specialTokens: control("<|startoftext|>", "<|endoftext|>", "<|start|>", "<|end|>", "<|message|>", "<|channel|>", "<|constrain|>", "<|return|>", "<|call|>"),
    bos: "<|startoftext|>", addBos: false, eos: "<|return|>", chatTemplate: HARMONY,
    thought: { open: "<|channel|>analysis<|message|>", close: "<|end|>" }, wrapperName: "Harmony",
  },
  gemma: {
    name: "gemma", architecture: "llama", generalName: "Conclave Scripted Gemma 3",
    specialTokens: control("<pad>", "<eos>", "<bos>", "<start_of_turn>", "<end_of_turn>"),
    bos: "<bos>", addBos: true, eos: "<end_of_turn>", chatTemplate: GEMMA, thought: null, wrapperName: "Gemma",
  },
  mistral: {
    name: "mistral", architecture: "llama", generalName: "Conclave Scripted Mistral",
    specialTokens: control("<unk>", "<s>", "</s>", "[INST]", "[/INST]", "[AVAILABLE_TOOLS]", "[/AVAILABLE_TOOLS]", "[TOOL_RESULTS]", "[/TOOL_RESULTS]", "[TOOL_CALLS]"),
    bos: "<s>", addBos: true, eos: "</s>", chatTemplate: MISTRAL, thought: null, wrapperName: "Mistral",
  },
  phi3: {
    name: "phi3", architecture: "llama", generalName: "Conclave Scripted Phi-3",
    specialTokens: control("<unk>", "<s>", "</s>", "<|endoftext|>", "<|system|>", "<|user|>", "<|assistant|>", "<|end|>"),
    bos: "<s>", addBos: true, eos: "<|end|>", chatTemplate: PHI3, thought: null, wrapperName: "JinjaTemplate",
  },
};
