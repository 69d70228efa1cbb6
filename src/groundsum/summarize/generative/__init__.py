"""What every generative engine shares: map-reduce over chunks, output hygiene, repair and fallback.

A backend (llama.cpp in-process, an OpenAI-compatible endpoint, local transformers) only turns a
Prompt into a Completion (``backend``). Everything else lives here, once, one module per step:

* ``sizing``: how many tokens a reply may use and how much source fits next to it in one call;
  ``chunking`` cuts a unit into chunks of that size along its sections and paragraphs.
* ``map_reduce``: each unit is chunked to fit the model (never truncated); a one-chunk unit is
  summarized directly, a longer one chunk by chunk into notes that are combined, level by level,
  until one call writes the unit's summary. Every sentence keeps the chunk spans it came from.
* ``hygiene``: preambles, headings, bullets, numbering, sentences cut off by the token limit and
  repeated sentences are removed before anything is verified; the unit's length budget is applied
  the same way as for the extractive engine.
* ``repair`` (after verify, with the verifier the pipeline passes in): optionally one repair attempt
  per unsupported sentence, told why it failed; then every unit whose verified sentences fall short
  of its budget is filled with the extractive engine's sentences, so no unit is left empty for want
  of a supported sentence.
* ``engine``: ``GenerativeEngine`` ties these to one backend.

This package imports nothing on its own, so the verify judge can share ``summarize.prompts``
without loading an engine.
"""
