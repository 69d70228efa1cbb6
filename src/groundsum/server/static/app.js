/* groundsum's page: a summary (or a checked summary) beside the source it cites.
 *
 * Used twice: by the page the server serves at / (forms + API calls), and inlined in the
 * standalone report of `--format html`, which embeds the result JSON in
 * <script type="application/json" id="groundsum-data">.
 *
 * Everything that comes from a document reaches the page as text nodes (textContent, append)
 * or plain attribute values, never as markup: a source containing <script> stays text.
 * Citations are offsets in code points (Python's str); JS strings count UTF-16 units, so
 * every offset goes through codePoints() before slicing.
 */
"use strict";

(() => {
  const LABELS = ["supported", "uncertain", "unsupported"];
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  // ---------- DOM: data only ever becomes text ----------

  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function plural(count, word) {
    return `${count} ${word}${count === 1 ? "" : "s"}`;
  }

  // ---------- offsets ----------

  /** Code point offsets → UTF-16 offsets for `text` (identity when it has no astral characters). */
  function codePoints(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) {
      return { length: text.length, unit: (i) => i };
    }
    const units = new Uint32Array(text.length + 1);
    let count = 0;
    let offset = 0;
    for (const ch of text) {
      units[count++] = offset;
      offset += ch.length;
    }
    units[count] = offset;
    return { length: count, unit: (i) => units[i] };
  }

  /** Sorted, non-overlapping intervals covering the same characters as `spans`. */
  function mergeSpans(spans) {
    const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || a.end - b.end);
    const merged = [];
    for (const span of sorted) {
      const last = merged[merged.length - 1];
      if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
      else merged.push({ start: span.start, end: span.end });
    }
    return merged;
  }

  // ---------- the result, as one model both panes share ----------

  function readResult(data) {
    const isCheck = !("summary" in data);
    const kept = isCheck ? data.sentences : data.summary;
    const sentences = [
      ...kept.map((s) => ({ ...s, dropped: false })),
      ...(data.dropped || []).map((s) => ({ ...s, dropped: true })),
    ];
    const doc = data.document;
    const cp = codePoints(doc.text);
    const clamp = (i) => Math.max(0, Math.min(cp.length, i));
    sentences.forEach((s, id) => {
      s.id = id;
      s.citations = s.citations
        .map((c) => ({ start: clamp(c.start), end: clamp(c.end) }))
        .sort((a, b) => a.start - b.start);
    });
    return { data, isCheck, doc, cp, sentences };
  }

  // ---------- the source pane ----------

  class SourceView {
    constructor(result, container) {
      this.result = result;
      this.container = container;
      const { doc, cp, sentences } = result;
      this.headings = doc.sections
        .map((section, index) => ({ index, start: section.start, end: section.start + headingLength(doc, cp, section) }))
        .filter((h) => h.end > h.start);
      const cuts = new Set([0, cp.length]);
      for (const s of sentences) for (const c of s.citations) cuts.add(c.start).add(c.end);
      for (const h of this.headings) cuts.add(h.start).add(h.end);
      const points = [...cuts].sort((a, b) => a - b);
      this.segments = [];
      for (let i = 0; i + 1 < points.length; i++) {
        const start = points[i];
        const end = points[i + 1];
        const citedBy = sentences
          .filter((s) => !s.dropped && s.citations.some((c) => c.start <= start && end <= c.end))
          .map((s) => s.id);
        const heading = this.headings.find((h) => h.start <= start && end <= h.end);
        this.segments.push({ start, end, citedBy, heading });
      }
    }

    text(start, end) {
      const { cp, doc } = this.result;
      return doc.text.slice(cp.unit(start), cp.unit(end));
    }

    /** Draw the whole source once, one node per segment; highlights then only move nodes. */
    render() {
      const fragment = document.createDocumentFragment();
      this.nodes = this.segments.map((segment) => {
        const classes = [segment.citedBy.length && "cited", segment.heading && "source-heading"].filter(Boolean);
        const text = this.text(segment.start, segment.end);
        const node = classes.length
          ? el("span", {
              class: classes.join(" "),
              dataset: segment.citedBy.length ? { sentences: segment.citedBy.join(" ") } : undefined,
              id: segment.heading && segment.heading.start === segment.start ? `source-section-${segment.heading.index}` : null,
            }, text)
          : document.createTextNode(text);
        fragment.append(node);
        return node;
      });
      this.marks = [];
      this.container.replaceChildren(fragment);
    }

    /** Wrap each merged citation of `sentence` in one <mark> holding exactly its text. */
    highlight(sentence) {
      for (const mark of this.marks) mark.replaceWith(...mark.childNodes);
      this.marks = mergeSpans(sentence ? sentence.citations : []).map((span) => {
        const first = this.segmentAt(span.start);
        const mark = el("mark", { class: `evidence ${sentence.label}` });
        this.nodes[first].before(mark);
        for (let i = first; i < this.segments.length && this.segments[i].end <= span.end; i++) mark.append(this.nodes[i]);
        return mark;
      });
      return this.marks;
    }

    /** Index of the segment that starts at or contains code point `offset` (binary search). */
    segmentAt(offset) {
      let low = 0;
      let high = this.segments.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (this.segments[middle].start <= offset) low = middle;
        else high = middle - 1;
      }
      return low;
    }

    /** Scroll the pane so character `offset` sits a third of the way down. */
    scrollTo(offset) {
      if (!this.segments.length) return;
      const index = this.segmentAt(offset);
      const node = this.nodes[index];
      const textNode = node.nodeType === Node.TEXT_NODE ? node : node.firstChild;
      const range = document.createRange();
      const { cp } = this.result;
      if (textNode) range.setStart(textNode, Math.min(textNode.length, cp.unit(offset) - cp.unit(this.segments[index].start)));
      else range.selectNode(node);
      this.scrollToRect(range.getBoundingClientRect());
    }

    scrollToRect(rect) {
      const pane = this.container.closest(".pane-scroll");
      const top = rect.top - pane.getBoundingClientRect().top + pane.scrollTop - pane.clientHeight / 3;
      pane.scrollTo({ top: Math.max(0, top), behavior: reduceMotion ? "auto" : "smooth" });
    }
  }

  /** How many code points of a section's start are its heading line (its title, verbatim). */
  function headingLength(doc, cp, section) {
    if (!section.title) return 0;
    const start = cp.unit(Math.min(section.start, cp.length));
    if (!doc.text.startsWith(section.title, start)) return 0;
    return Array.from(section.title).length;
  }

  // ---------- the summary pane ----------

  function sectionMeta(section) {
    const people = [section.author, section.recipient].filter(Boolean).join(" → ");
    return [section.date, people].filter(Boolean);
  }

  function scoreBadge(sentence) {
    return el("span", { class: `badge ${sentence.label}`, title: `support score ${sentence.score.toFixed(2)}` },
      el("span", { class: "badge-label" }, sentence.label),
      el("span", { class: "badge-score" }, sentence.score.toFixed(2)));
  }

  function sentenceItem(sentence, number) {
    const passages = sentence.citations.length;
    return el("li", {
        class: `sentence ${sentence.label}${sentence.dropped ? " dropped" : ""}`,
        tabindex: 0,
        dataset: { id: sentence.id },
      },
      el("span", { class: "sentence-number", "aria-hidden": "true" }, number),
      el("div", { class: "sentence-body" },
        el("p", { class: "sentence-text" }, sentence.text),
        el("div", { class: "sentence-meta" },
          scoreBadge(sentence),
          el("span", { class: "passages" }, passages ? plural(passages, "source passage") : "no source passage"),
          sentence.origin === "generated" ? el("span", { class: "origin" }, "generated") : null),
        sentence.reasons && sentence.reasons.length
          ? el("ul", { class: "reasons" }, sentence.reasons.map((reason) => el("li", {}, reason)))
          : null));
  }

  function sectionHeading(doc, index, level) {
    if (index === null || index === undefined || !doc.sections[index]) return null;
    const section = doc.sections[index];
    const title = section.title || `Section ${index + 1}`;
    return el("header", { class: "unit-heading", dataset: { section: index } },
      el(level, { class: "unit-title" }, title),
      sectionMeta(section).length
        ? el("p", { class: "unit-meta" }, sectionMeta(section).map((part) => el("span", {}, part)))
        : null);
  }

  function summaryBody(result) {
    const { data, doc, sentences } = result;
    const body = el("div", { class: "summary-body" });
    const kept = sentences.filter((s) => !s.dropped);
    let number = 0;
    if (result.isCheck) {
      body.append(el("ol", { class: "sentences" }, kept.map((s) => sentenceItem(s, ++number))));
      return body;
    }
    // a section off the focus says so; a paragraph off it is the rule, not news
    const silent = data.per === "paragraph" ? []
      : (data.units || []).map((unit, index) => [index, unit]).filter(([, unit]) => unit.says_nothing);
    if (!kept.length && !silent.length) {
      body.append(el("p", { class: "empty" },
        data.says_nothing || "No sentence of the summary could be verified against the source."));
    }
    const byUnit = new Map(silent.map(([index]) => [index, []]));  // units off the focus say so
    for (const s of kept) {
      if (!byUnit.has(s.unit)) byUnit.set(s.unit, []);
      byUnit.get(s.unit).push(s);
    }
    let lastSection;
    for (const [unitIndex, group] of [...byUnit].sort((a, b) => a[0] - b[0])) {
      const unit = data.units[unitIndex] || {};
      const block = el("section", { class: `unit per-${data.per}` });
      if (data.per !== "document" && unit.section !== lastSection) {
        const heading = sectionHeading(doc, unit.section, "h3");
        if (heading) body.append(heading);
        lastSection = unit.section;
      }
      block.append(group.length
        ? el("ol", { class: "sentences" }, group.map((s) => sentenceItem(s, ++number)))
        : el("p", { class: "off-focus" }, unit.says_nothing));
      body.append(block);
    }
    const dropped = sentences.filter((s) => s.dropped);
    if (dropped.length) {
      body.append(el("details", { class: "dropped-list" },
        el("summary", {}, `${plural(dropped.length, "unsupported sentence")} dropped — show why`),
        el("ol", { class: "sentences" }, dropped.map((s, i) => sentenceItem(s, `×${i + 1}`)))));
    }
    return body;
  }

  // ---------- coverage strip ----------

  function coverageStrip(result, onPick) {
    const { doc, cp, sentences } = result;
    const length = Math.max(1, cp.length);
    const kept = sentences.filter((s) => !s.dropped);
    const covered = mergeSpans(kept.flatMap((s) => s.citations));
    const share = covered.reduce((sum, c) => sum + c.end - c.start, 0) / length;
    const strip = el("div", { class: "strip", title: "Click to scroll the source there" });
    for (const section of doc.sections.slice(1)) {
      const tick = el("span", { class: "strip-section", title: section.title || "" });
      tick.style.left = `${(100 * section.start) / length}%`;
      strip.append(tick);
    }
    const blocks = [];
    for (const s of kept) {
      for (const c of s.citations) {
        const block = el("span", { class: `strip-cite ${s.label}`, title: s.text, dataset: { id: s.id } });
        block.style.left = `${(100 * c.start) / length}%`;
        block.style.width = `${(100 * (c.end - c.start)) / length}%`;
        blocks.push(block);
        strip.append(block);
      }
    }
    strip.addEventListener("click", (event) => {
      const block = event.target.closest(".strip-cite");
      if (block) onPick.sentence(Number(block.dataset.id));
      else {
        const rect = strip.getBoundingClientRect();
        onPick.offset(Math.floor(((event.clientX - rect.left) / rect.width) * length));
      }
    });
    const passages = kept.reduce((n, s) => n + s.citations.length, 0);
    const caption = el("p", { class: "strip-caption" },
      el("strong", {}, "Coverage"),
      ` — the ${result.isCheck ? "checked summary" : "summary"} cites ${plural(passages, "passage")}, `
        + `${(100 * share).toFixed(share < 0.1 ? 1 : 0)}% of the text`);
    const node = el("div", { class: "coverage" }, caption, strip);
    node.highlight = (sentence) => {
      for (const block of blocks) block.classList.toggle("active", !!sentence && Number(block.dataset.id) === sentence.id);
    };
    return node;
  }

  // ---------- the whole result ----------

  function resultHeader(result) {
    const { data, doc, sentences, isCheck } = result;
    const kept = sentences.filter((s) => !s.dropped);
    const counts = {};
    for (const s of kept) counts[s.label] = (counts[s.label] || 0) + 1;
    const tallies = LABELS
      .filter((label) => counts[label])
      .map((label) => el("span", { class: `tally ${label}` }, `${counts[label]} ${label}`));
    const name = doc.title || doc.source || (isCheck ? "Source" : "Pasted text");
    const facts = isCheck
      ? [plural(kept.length, "sentence")]
      : [`per ${data.per}`, plural(kept.length, "sentence"), `engine: ${data.engine.name}`];
    return el("div", { class: "result-header" },
      el("div", { class: "result-title" },
        el("h2", {}, isCheck ? "Check" : "Summary"),
        el("p", { class: "result-source" }, name)),
      el("div", { class: "result-facts" },
        isCheck ? el("span", { class: `overall ${overallLabel(data.score)}` }, "support ",
          el("strong", {}, data.score.toFixed(2))) : null,
        facts.map((fact) => el("span", { class: "fact" }, fact)),
        tallies));
  }

  function overallLabel(score) {
    return score >= 0.75 ? "supported" : score >= 0.5 ? "uncertain" : "unsupported";
  }

  /** Render a summary or check result (the JSON of `--format json`) into `container`. */
  function renderResult(container, data) {
    const result = readResult(data);
    const sourceText = el("div", { class: "source-text" });
    const source = new SourceView(result, sourceText);
    const summary = summaryBody(result);
    let pinned = null;
    let shown;

    const strip = coverageStrip(result, {
      sentence: (id) => pin(result.sentences[id], true),
      offset: (offset) => source.scrollTo(offset),
    });

    function show(sentence, scroll) {
      if (sentence === shown) return;
      shown = sentence;
      const marks = source.highlight(sentence);
      for (const item of summary.querySelectorAll(".sentence.active, .sentence.pinned")) item.classList.remove("active", "pinned");
      if (sentence) itemOf(sentence).classList.add("active");
      if (pinned) itemOf(pinned).classList.add("pinned");
      strip.highlight(sentence);
      if (scroll && marks.length) source.scrollToRect(marks[0].getBoundingClientRect());
    }

    const itemOf = (sentence) => summary.querySelector(`.sentence[data-id="${sentence.id}"]`);

    function pin(sentence, revealInSummary) {
      pinned = sentence;
      shown = undefined;
      show(sentence, true);
      if (revealInSummary && sentence) {
        const item = itemOf(sentence);
        const details = item && item.closest("details");
        if (details) details.open = true;
        if (item) item.scrollIntoView({ block: "nearest", behavior: reduceMotion ? "auto" : "smooth" });
      }
    }

    const sentenceOf = (event) => {
      const item = event.target.closest(".sentence");
      return item ? result.sentences[Number(item.dataset.id)] : null;
    };
    summary.addEventListener("mouseover", (event) => {
      const sentence = sentenceOf(event);
      if (sentence) show(sentence, true);
    });
    summary.addEventListener("mouseleave", () => show(pinned, false));
    summary.addEventListener("click", (event) => {
      const sentence = sentenceOf(event);
      if (sentence) pin(sentence, false);
      const heading = event.target.closest(".unit-heading");
      if (heading) {
        const anchor = sourceText.querySelector(`#source-section-${heading.dataset.section}`);
        if (anchor) source.scrollToRect(anchor.getBoundingClientRect());
      }
    });
    summary.addEventListener("keydown", (event) => {
      const sentence = sentenceOf(event);
      if (event.key === "Escape") pin(null, false);
      else if (sentence && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        pin(sentence, false);
      }
    });
    summary.addEventListener("focusin", (event) => {
      const sentence = sentenceOf(event);
      if (sentence) show(sentence, true);
    });
    sourceText.addEventListener("click", (event) => {
      const span = event.target.closest(".cited");
      if (span) pin(result.sentences[Number(span.dataset.sentences.split(" ")[0])], true);
    });

    source.render();
    container.replaceChildren(
      el("article", { class: `result ${result.isCheck ? "is-check" : "is-summary"}` },
        resultHeader(result),
        strip,
        el("div", { class: "panes" },
          el("section", { class: "pane summary-pane", "aria-label": "Summary" },
            el("h3", { class: "pane-title" }, result.isCheck ? "Verdicts" : "Summary",
              el("span", { class: "pane-hint" }, "hover or click a sentence to see its evidence")),
            el("div", { class: "pane-scroll" }, summary)),
          el("section", { class: "pane source-pane", "aria-label": "Source" },
            el("h3", { class: "pane-title" }, "Source",
              el("span", { class: "pane-hint" }, "cited passages are underlined")),
            el("div", { class: "pane-scroll" }, sourceText)))));
  }

  // ---------- the page's forms (absent in the standalone report) ----------

  class Problem extends Error {
    constructor(problem, status) {
      super(problem.detail || problem.title || `HTTP ${status}`);
      this.problem = problem;
      this.status = status;
    }
  }

  function apiKey() {
    return sessionStorage.getItem("groundsum-api-key") || "";
  }

  async function callApi(path, body) {
    const headers = {};
    if (apiKey()) headers["X-API-Key"] = apiKey();
    if (!(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    }
    const response = await fetch(path, { method: "POST", headers, body });
    const type = response.headers.get("content-type") || "";
    const payload = type.includes("json") ? await response.json() : { detail: await response.text() };
    if (!response.ok) throw new Problem(payload, response.status);
    return payload;
  }

  function showStatus(node, kind, ...content) {
    node.className = `status ${kind}`;
    node.replaceChildren(...content);
  }

  function showProblem(node, error) {
    if (error instanceof Problem && error.status === 401) {
      document.getElementById("api-key-field").hidden = false;
    }
    const title = error instanceof Problem ? `${error.status} ${error.problem.title || "Error"}` : "Could not reach the server";
    showStatus(node, "problem", el("strong", {}, title), " ", error.message);
  }

  async function run(form, statusNode, resultNode, busyText, request) {
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    const started = performance.now();
    showStatus(statusNode, "busy", el("span", { class: "spinner", "aria-hidden": "true" }), busyText);
    try {
      const data = await request();
      renderResult(resultNode, data);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      showStatus(statusNode, "done", `Done in ${seconds} s.`);
    } catch (error) {
      showProblem(statusNode, error);
    } finally {
      button.disabled = false;
    }
  }

  function setUpTabs() {
    const tabs = [...document.querySelectorAll("[role=tab]")];
    const select = (tab) => {
      for (const other of tabs) {
        const selected = other === tab;
        other.setAttribute("aria-selected", String(selected));
        other.tabIndex = selected ? 0 : -1;
        document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
      }
    };
    for (const tab of tabs) {
      tab.addEventListener("click", () => select(tab));
      tab.addEventListener("keydown", (event) => {
        const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
        if (!step) return;
        const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
        select(next);
        next.focus();
      });
    }
  }

  function setUpFile(form) {
    const input = form.querySelector("#file");
    const zone = form.querySelector("#dropzone");
    const chosen = form.querySelector("#file-chosen");
    const text = form.querySelector("#text");
    const update = () => {
      const file = input.files[0];
      chosen.hidden = !file;
      zone.classList.toggle("has-file", !!file);
      text.disabled = !!file;
      text.placeholder = file ? "The chosen file will be summarized; remove it to paste text instead."
        : "Paste a document here: plain text, Markdown or HTML…";
      form.querySelector("#file-name").textContent = file ? `${file.name} (${Math.ceil(file.size / 1024)} KB)` : "";
    };
    input.addEventListener("change", update);
    form.querySelector("#file-clear").addEventListener("click", () => {
      input.value = "";
      update();
    });
    for (const type of ["dragenter", "dragover"]) {
      zone.addEventListener(type, (event) => {
        event.preventDefault();
        zone.classList.add("dragging");
      });
    }
    for (const type of ["dragleave", "drop"]) zone.addEventListener(type, () => zone.classList.remove("dragging"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      if (event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        update();
      }
    });
  }

  function summarizeOptions(form) {
    const options = {
      per: form.querySelector("input[name=per]:checked").value,
      unsupported: form.querySelector("#unsupported").value,
    };
    const amount = form.querySelector("#length").valueAsNumber;
    if (Number.isFinite(amount) && amount > 0) {
      const unit = form.querySelector("#length-unit").value;
      if (unit === "ratio") options.ratio = Math.min(100, amount) / 100;
      else options[unit] = Math.round(amount);
    }
    const focus = form.querySelector("#focus").value.trim();
    if (focus) options.focus = focus;
    return options;
  }

  function setUpSummarize() {
    const form = document.getElementById("summarize-form");
    setUpFile(form);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const status = document.getElementById("summarize-status");
      const options = summarizeOptions(form);
      const file = form.querySelector("#file").files[0];
      const text = form.querySelector("#text").value;
      if (!file && !text.trim()) {
        showStatus(status, "problem", "Paste a document or choose a file first.");
        return;
      }
      run(form, status, document.getElementById("summarize-result"), "Summarizing…", () => {
        if (!file) return callApi("/v1/summarize", { text, ...options });
        const body = new FormData();
        body.append("file", file);
        for (const [key, value] of Object.entries(options)) body.append(key, String(value));
        return callApi("/v1/summarize", body);
      });
    });
  }

  function setUpCheck() {
    const form = document.getElementById("check-form");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const status = document.getElementById("check-status");
      const summary = form.querySelector("#check-summary").value;
      const source = form.querySelector("#check-source").value;
      if (!summary.trim() || !source.trim()) {
        showStatus(status, "problem", "Paste both a summary and its source.");
        return;
      }
      run(form, status, document.getElementById("check-result"), "Checking…",
        () => callApi("/v1/check", { source, summary }));
    });
  }

  function setUpApiKey() {
    const field = document.getElementById("api-key-field");
    const input = document.getElementById("api-key");
    input.value = apiKey();
    input.addEventListener("input", () => sessionStorage.setItem("groundsum-api-key", input.value));
    field.addEventListener("submit", (event) => event.preventDefault());
    fetch("/healthz")
      .then((response) => response.json())
      .then((health) => { if (health.api_key_required) field.hidden = false; })
      .catch(() => {});
  }

  function start() {
    const embedded = document.getElementById("groundsum-data");
    if (embedded) {
      renderResult(document.getElementById("report"), JSON.parse(embedded.textContent));
      return;
    }
    setUpTabs();
    setUpSummarize();
    setUpCheck();
    setUpApiKey();
  }

  // For anyone embedding the view: groundsum.renderResult(element, resultJson).
  window.groundsum = { renderResult };
  start();
})();
