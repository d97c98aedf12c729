/* The digital tool's script: views, filters, the simulator and charts, on the JSON the
 * page carries (documents/tool/data.py). No library, no network: every chart is SVG drawn
 * here. The numbers are the report's; this script formats and arranges them, and computes
 * one thing of its own, the simulator's sum (method.md §11), exactly as
 * EditionResults.projected_total does. Tests: tests/documents/tool/. */
(function () {
  "use strict";

  // ----------------------------------------------------------------- Swedish numbers
  // The same rules as support/swedish.py. Python rounds the exact binary value half to
  // even; toFixed rounds ties away from zero. toFixed(100) is the exact decimal expansion
  // of every double shown here, so rounding that string gives Python's digits.
  const NBSP = "\u00a0";
  const MINUS = "\u2212";

  function increment(digits) {
    const out = digits.split("");
    for (let i = out.length - 1; i >= 0; i -= 1) {
      if (out[i] !== "9") {
        out[i] = String(Number(out[i]) + 1);
        return out.join("");
      }
      out[i] = "0";
    }
    return "1" + out.join("");
  }

  /** Return |x| rounded to `decimals` places as {whole, fraction} digit strings. */
  function roundedDigits(x, decimals) {
    const [whole, fraction] = Math.abs(x).toFixed(100).split(".");
    const kept = whole + fraction.slice(0, decimals);
    const rest = fraction.slice(decimals);
    const odd = Number(kept[kept.length - 1]) % 2 === 1;
    const up = rest[0] > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || odd));
    const digits = up ? increment(kept) : kept;
    const split = digits.length - decimals;
    return { whole: digits.slice(0, split), fraction: digits.slice(split) };
  }

  function isZero(parts) {
    return !/[1-9]/.test(parts.whole + parts.fraction);
  }

  function grouped(whole) {
    return whole.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  }

  /** sv_number: `1 234,5`, a true minus sign, never `−0,0`. */
  function svNumber(value, decimals = 1) {
    const parts = roundedDigits(value, decimals);
    const body = grouped(parts.whole) + (decimals > 0 ? "," + parts.fraction : "");
    return value < 0 && !isZero(parts) ? MINUS + body : body;
  }

  /** sv_signed: `+1,2`, `−0,4`, `±0,0`. */
  function svSigned(value, decimals = 1) {
    const body = svNumber(Math.abs(value), decimals);
    if (isZero(roundedDigits(value, decimals))) return "±" + body;
    return (value > 0 ? "+" : MINUS) + body;
  }

  function svPercent(value, decimals = 0) {
    return svNumber(value, decimals) + NBSP + "%";
  }

  /** sv_value: a raw value for its kind; `uppgift saknas` where missing. */
  function svValue(value, kind) {
    if (value === null || value === undefined) return "uppgift saknas";
    if (kind === "binary") return value >= 0.5 ? "Ja" : "Nej";
    if (kind === "percent") return svPercent(value, 0);
    return svNumber(value, 1);
  }

  function svList(items) {
    if (items.length <= 1) return items.join("");
    return items.slice(0, -1).join(", ") + " och " + items[items.length - 1];
  }

  /** A number for a spreadsheet: decimal comma, ASCII minus, no grouping, no unit. */
  function plainNumber(value, decimals) {
    const parts = roundedDigits(value, decimals);
    const body = parts.whole + (decimals > 0 ? "," + parts.fraction : "");
    return value < 0 && !isZero(parts) ? "-" + body : body;
  }

  /** Python's round(x, n): the double nearest the correctly rounded decimal. */
  function roundTo(x, decimals) {
    const parts = roundedDigits(x, decimals);
    return (x < 0 ? -1 : 1) * Number(parts.whole + "." + (parts.fraction || "0"));
  }

  // ----------------------------------------------------------------- the data
  const EDITION = JSON.parse(document.getElementById("edition-data").textContent);
  const PACKAGE = JSON.parse(document.getElementById("package-data").textContent);
  const INFO = EDITION.edition;
  const COUNT = INFO.count;
  const INDICATORS = EDITION.indicators;
  const MUNICIPALITIES = EDITION.municipalities;
  const DELINDEX = EDITION.delindex;
  const WORDS = EDITION.words;
  const COLOURS = EDITION.palette;
  const STATUS_OF_CODE = Object.fromEntries(
    Object.entries(EDITION.statusCodes).map(([status, code]) => [code, status]),
  );
  const INDEX_OF_CODE = new Map(MUNICIPALITIES.map((m, i) => [m.code, i]));
  const INDEX_OF_ID = new Map(INDICATORS.map((ind, j) => [ind.id, j]));
  const OWN = INDEX_OF_CODE.get(PACKAGE.code);
  const ME = MUNICIPALITIES[OWN];
  const COLLATOR = new Intl.Collator("sv");

  /** Return one municipality's result on one indicator (indices into the arrays). */
  function cell(j, m) {
    const column = EDITION.cells[j];
    const pick = (key) => (column[key] ? column[key][m] : null);
    const flag = (key) => Boolean(column[key]) && column[key][m] === "1";
    return {
      value: column.v[m],
      score: column.s[m],
      percentile: column.p[m],
      status: STATUS_OF_CODE[column.st[m]],
      n: pick("n"),
      low: pick("lo"),
      high: pick("hi"),
      previous: pick("prev"),
      fromPrevious: flag("fp"),
      nAssumed: flag("na"),
    };
  }

  /** narrative.value_text: `72 %`, `Ja`, `uppgift saknas`, `5,0 (2023)`. */
  function valueText(j, m) {
    const c = cell(j, m);
    const text = svValue(c.value, INDICATORS[j].kind);
    return c.fromPrevious && INFO.previousYear ? text + " (" + INFO.previousYear + ")" : text;
  }

  /** `rikets median 80 %`, or for a yes/no item the share that has it: `riket 26 % har`. */
  function nationalText(j, separator) {
    const label = INDICATORS[j].kind === "binary" ? "riket" : WORDS.median;
    return label + separator + INDICATORS[j].national;
  }

  function delindexName(id) {
    return DELINDEX.find((d) => d.id === id).name;
  }

  // ----------------------------------------------------------------- the simulator (§11)
  /** c_i · max(0, Q3_i − s(m,i)): what reaching the national upper quartile adds. */
  function lift(j, m) {
    const indicator = INDICATORS[j];
    if (indicator.q3 === null) return 0;
    return indicator.c * Math.max(0, indicator.q3 - EDITION.cells[j].s[m]);
  }

  /** T' = T + Σ lifts, summed in catalogue order as projected_total sums them. */
  function projectedTotal(m, ids) {
    const chosen = new Set(ids);
    let total = MUNICIPALITIES[m].total;
    INDICATORS.forEach((indicator, j) => {
      if (chosen.has(indicator.id)) total += lift(j, m);
    });
    return total;
  }

  const ROUNDED_TOTALS = MUNICIPALITIES.map((m) => roundTo(m.total, INFO.decimals));

  /** 1 + the others whose total is higher than `total`, compared at 9 decimals. */
  function projectedRank(m, total) {
    const own = roundTo(total, INFO.decimals);
    let higher = 0;
    ROUNDED_TOTALS.forEach((other, i) => {
      if (i !== m && other > own) higher += 1;
    });
    return 1 + higher;
  }

  function simulate(ids) {
    const total = projectedTotal(OWN, ids);
    return { total, delta: total - ME.total, rank: projectedRank(OWN, total) };
  }

  /** The PDF's priorities show a small gain with two decimals (pdf/build.py). */
  function gainText(gain) {
    return svNumber(gain, gain < 0.1 ? 2 : 1);
  }

  // ----------------------------------------------------------------- the URL fragment
  const UNITS = PACKAGE.units; // the unit analysis, when the package includes it
  const VIEWS = ["oversikt", "indikatorer", "jamfor", "prioritera", "exempel"].concat(
    UNITS ? ["enheter"] : [],
  );
  const SORTS = [
    "indikator",
    "varde",
    "forra",
    "median",
    "kvartil",
    "percentil",
    "n",
    "intervall",
    "status",
  ];
  const EXAMPLE_MODES = ["forbattra", "forbattring", "alla"];
  const state = {};
  let notices = [];

  function listParam(params, key) {
    const text = params.get(key);
    return text === null
      ? null
      : text
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
  }

  function oneOf(value, allowed, fallback) {
    return allowed.includes(value) ? value : fallback;
  }

  function readState() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ""));
    notices = [];
    const chosen = listParam(params, "forbattra");
    state.view = oneOf(params.get("vy"), VIEWS, chosen !== null ? "prioritera" : "oversikt");
    state.delindex = oneOf(
      params.get("delindex"),
      DELINDEX.map((d) => String(d.id)),
      "",
    );
    state.area = oneOf(
      params.get("omrade"),
      INDICATORS.map((i) => i.area),
      "",
    );
    state.status = oneOf(params.get("status"), Object.keys(EDITION.statusInFragment), "");
    state.source = oneOf(
      params.get("kalla"),
      INDICATORS.map((i) => i.source),
      "",
    );
    state.sort = oneOf(params.get("sortera"), SORTS, "");
    state.order = params.get("ordning") === "fallande" ? "fallande" : "stigande";
    state.compareDelindex = oneOf(
      params.get("jdelindex"),
      DELINDEX.map((d) => String(d.id)),
      "",
    );
    state.examples = oneOf(params.get("exempel"), EXAMPLE_MODES, "forbattra");
    state.compare = known(listParam(params, "jamfor") || [], INDEX_OF_CODE, "kommunkoder").filter(
      (code) => code !== ME.code,
    );
    state.chosen = chosen === null ? null : known(chosen, INDEX_OF_ID, "indikatorer");
  }

  function known(items, index, what) {
    const unknown = items.filter((item) => !index.has(item));
    if (unknown.length)
      notices.push(`Länken nämner ${what} som inte finns i utgåvan: ${unknown.join(", ")}.`);
    return [...new Set(items.filter((item) => index.has(item)))];
  }

  function fragment(overrides = {}) {
    const s = Object.assign({}, state, overrides);
    const pairs = [
      ["vy", s.view === "oversikt" ? "" : s.view],
      ["delindex", s.delindex],
      ["omrade", s.area],
      ["status", s.status],
      ["kalla", s.source],
      ["sortera", s.sort],
      ["ordning", s.sort && s.order === "fallande" ? "fallande" : ""],
      ["jamfor", s.compare.join(",")],
      ["jdelindex", s.compareDelindex],
      ["exempel", s.examples === "forbattra" ? "" : s.examples],
      ["forbattra", s.chosen === null ? null : s.chosen.join(",")],
    ];
    return pairs
      .filter(([key, value]) => value !== null && (value !== "" || key === "forbattra"))
      .map(([key, value]) => key + "=" + encodeURIComponent(value).replace(/%2C/g, ","))
      .join("&");
  }

  let writtenHash = null;

  /** Put the state in the address without a new history entry or a hashchange. */
  function writeState() {
    const hash = "#" + fragment();
    writtenHash = hash;
    if (location.hash === hash) return;
    history.replaceState(null, "", hash);
  }

  // ----------------------------------------------------------------- small DOM helpers
  const $ = (id) => document.getElementById(id);

  function h(tag, props, ...children) {
    const element = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") element.className = value;
      else if (key === "text") element.textContent = value;
      else if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
      else if (key === "checked") element.checked = value;
      else element.setAttribute(key, value === true ? "" : value);
    }
    element.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
    return element;
  }

  function statusCell(status, props = {}) {
    return h(
      "td",
      Object.assign({ class: "text" }, props),
      h("span", { class: "status " + status, text: WORDS.status[status] }),
    );
  }

  // ----------------------------------------------------------------- charts (SVG)
  const SVG = "http://www.w3.org/2000/svg";
  let chartCount = 0;

  function s(tag, attributes, text) {
    const element = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
    if (text !== undefined) element.textContent = text;
    return element;
  }

  /** Where a value lies in the country: the palette's colour name for its bar. */
  function zone(value, hasData, spread) {
    if (!hasData) return "no_data";
    if (value >= spread.q3) return "better";
    return value <= spread.q1 ? "worse" : "middle";
  }

  /** A bar as path data: one path per colour draws 290 bars faster than 290 rects. */
  function bar(x, base, top, width) {
    const f = (n) => n.toFixed(2);
    return `M${f(x)} ${f(base)}V${f(top)}h${f(width)}V${f(base)}Z`;
  }

  /** Sorted bars of every municipality (as the PDF draws them), this one highlighted. */
  function distribution(values, hasData, spread, label, description, width) {
    const height = 210,
      left = 38,
      right = 8,
      top = 28,
      bottom = 12;
    const plotWidth = width - left - right,
      plotHeight = height - top - bottom;
    const y = (v) => top + plotHeight * (1 - Math.max(0, Math.min(100, v)) / 100);
    const id = "chart-" + (chartCount += 1);
    const svg = s("svg", {
      viewBox: `0 0 ${width} ${height}`,
      role: "img",
      "aria-labelledby": `${id}-title ${id}-desc`,
      focusable: "false",
    });
    svg.append(
      s("title", { id: id + "-title" }, label),
      s("desc", { id: id + "-desc" }, description),
    );
    for (const tick of [0, 25, 50, 75, 100]) {
      svg.append(
        s("line", {
          x1: left,
          x2: width - right,
          y1: y(tick),
          y2: y(tick),
          stroke: COLOURS.rule,
          "stroke-width": 1,
        }),
      );
      svg.append(
        s(
          "text",
          {
            x: left - 6,
            y: y(tick) + 5,
            "text-anchor": "end",
            "font-size": 15,
            fill: COLOURS.muted,
          },
          String(tick),
        ),
      );
    }
    const order = values
      .map((v, i) => i)
      .sort(
        (a, b) =>
          values[b] - values[a] || COLLATOR.compare(MUNICIPALITIES[a].code, MUNICIPALITIES[b].code),
      );
    const step = plotWidth / order.length;
    const paths = { better: "", middle: "", worse: "", no_data: "" };
    let ownX = 0;
    order.forEach((m, rank) => {
      const x = left + rank * step;
      if (m === OWN) ownX = x;
      paths[zone(values[m], hasData[m], spread)] += bar(x, y(0), y(values[m]), step * 0.82);
    });
    for (const [zone, d] of Object.entries(paths))
      if (d) svg.append(s("path", { d, fill: COLOURS[zone] }));
    const line = (value, dash, colour) =>
      s("line", {
        x1: left,
        x2: width - right,
        y1: y(value),
        y2: y(value),
        stroke: colour,
        "stroke-width": 1.6,
        "stroke-dasharray": dash,
      });
    svg.append(
      line(spread.q1, "2 3", COLOURS.quartile),
      line(spread.q3, "2 3", COLOURS.quartile),
      line(spread.median, "7 4", COLOURS.median),
    );
    const ownValue = values[OWN];
    svg.append(
      s("rect", {
        x: ownX - 1,
        y: y(ownValue),
        width: Math.max(step, 3) + 2,
        height: y(0) - y(ownValue),
        fill: COLOURS.municipality,
      }),
    );
    const anchor = ownX > width * 0.75 ? "end" : ownX < width * 0.2 ? "start" : "middle";
    svg.append(
      s(
        "text",
        {
          x: ownX + step / 2,
          y: Math.max(16, y(ownValue) - 7),
          "text-anchor": anchor,
          "font-size": 18,
          "font-weight": "bold",
          fill: COLOURS.ink,
        },
        `${ME.name} ${svNumber(ownValue)}`,
      ),
    );
    return svg;
  }

  function legend() {
    const item = (cls, colour, text) =>
      h(
        "li",
        null,
        h("span", {
          class: "swatch " + cls,
          style: colour ? "background:" + colour : null,
          "aria-hidden": "true",
        }),
        text,
      );
    return h(
      "ul",
      { class: "legend" },
      item("", COLOURS.municipality, ME.name),
      item("", COLOURS.better, "övre kvartilen"),
      item("", COLOURS.middle, "mittenhälften"),
      item("", COLOURS.worse, "nedre kvartilen"),
      item("line", null, WORDS.median),
      item("line dotted", null, "kvartiler"),
    );
  }

  function chartFigure(
    values,
    hasData,
    spread,
    what,
    rank,
    { withNoData = false, withLegend = false, width = 720 } = {},
  ) {
    const levels =
      `${WORDS.median} ${svNumber(spread.median)}, nedre kvartil ${svNumber(spread.q1)}, ` +
      `övre kvartil ${svNumber(spread.q3)}`;
    const description =
      `Stapeldiagram över ${what} i alla ${COUNT} kommuner, sorterade från högst till lägst; ` +
      `${levels}. ${ME.name} har ${svNumber(values[OWN])} poäng, plats ${rank} av ${COUNT}.`;
    const caption =
      `Varje stapel är en kommun (${COUNT}), sorterade efter värde, 0–100 poäng.` +
      (withNoData ? " Grå: inga uppgifter alls i delindexet." : "");
    // One legend, under the first chart: the others use the same colours.
    return [
      distribution(values, hasData, spread, `${what}: alla kommuner`, description, width),
      withLegend ? legend() : null,
      h("figcaption", { text: caption }),
    ].filter(Boolean);
  }

  // ----------------------------------------------------------------- Översikt
  function renderOverview() {
    const change =
      ME.change === null
        ? null
        : `Förändring sedan ${INFO.previousYear}: ${svSigned(ME.change)} poäng`;
    const figure = (label, value, detail, small) =>
      h(
        "div",
        { class: "keyfigure" },
        h("span", { class: "kf-label", text: label }),
        h("span", { class: "kf-value" + (small ? " small" : ""), text: value }),
        detail ? h("span", { class: "kf-detail", text: detail }) : null,
      );
    $("keyfigures").replaceChildren(
      figure("Totalindex (0–100)", svNumber(ME.total), change),
      figure("Placering", `plats ${ME.rank} av ${COUNT}`, rankChangeText(ME.rankChange)),
      figure("Resultatgrupp", ME.group, PACKAGE.texts.interval, true),
    );
    $("summary").textContent = PACKAGE.texts.summary;
    $("caution").textContent = PACKAGE.texts.caution;
    $("caution").hidden = !PACKAGE.texts.caution;
    const everyone = MUNICIPALITIES.map(() => true);
    $("total-chart").replaceChildren(
      ...chartFigure(
        MUNICIPALITIES.map((m) => m.total),
        everyone,
        EDITION.total,
        "Totalindex",
        ME.rank,
        { withLegend: true, width: 1100 },
      ),
    );
    $("delindex-cards").replaceChildren(...DELINDEX.map(delindexCard));
    $("bibehall").replaceChildren(
      ...adviceItems(PACKAGE.bibehall, "Inga tydliga styrkor att lyfta fram i år."),
    );
    $("forbattra").replaceChildren(
      ...adviceItems(PACKAGE.forbattra, "Inga förbättringsområden att rekommendera."),
    );
    $("to-simulator").setAttribute("href", "#" + fragment({ view: "prioritera" }));
    $("coverage").textContent = PACKAGE.texts.coverage;
    $("data-notes").replaceChildren(...PACKAGE.texts.notes.map((text) => h("li", { text })));
  }

  function rankChangeText(change) {
    if (change === null || change === undefined) return null;
    if (change === 0) return `Samma placering som ${INFO.previousYear}`;
    const places = Math.abs(change) === 1 ? "placering" : "placeringar";
    return `${change > 0 ? "Upp" : "Ned"} ${Math.abs(change)} ${places} sedan ${INFO.previousYear}`;
  }

  function delindexCard(spec, k) {
    const value = ME.d[k];
    const hasData = MUNICIPALITIES.map((m, i) =>
      INDICATORS.some((ind, j) => ind.delindex === spec.id && EDITION.cells[j].st[i] !== "m"),
    );
    const change = ME.dChange[k] === null ? "" : ` · förändring ${svSigned(ME.dChange[k])}`;
    return h(
      "section",
      { class: "card", "aria-labelledby": "card-" + spec.id },
      h("h4", { id: "card-" + spec.id, text: spec.name }),
      h(
        "p",
        { class: "figures" },
        h("strong", { text: svNumber(value) }),
        ` plats ${ME.dRank[k]} av ${COUNT}${change}`,
      ),
      h(
        "figure",
        { class: "chart" },
        ...chartFigure(
          MUNICIPALITIES.map((m) => m.d[k]),
          hasData,
          spec.spread,
          spec.name,
          ME.dRank[k],
          { withNoData: true },
        ),
      ),
      h("p", { text: PACKAGE.texts.delindex[k] }),
    );
  }

  function adviceItems(ids, none) {
    if (!ids.length) return [h("li", { text: none })];
    return ids.map((id) => {
      const j = INDEX_OF_ID.get(id);
      return h(
        "li",
        null,
        INDICATORS[j].name + " ",
        h("span", {
          class: "detail",
          text: `(${valueText(j, OWN)}; ${nationalText(j, " ")})`,
        }),
      );
    });
  }

  // ----------------------------------------------------------------- Alla indikatorer
  const STATUS_ORDER = { strength: 0, neutral: 1, improvement: 2, missing: 3 };

  function nationalNumber(indicator) {
    return indicator.kind === "binary"
      ? indicator.share === null
        ? null
        : indicator.share * 100
      : indicator.median;
  }

  /** The value each column sorts on (null sorts last, either way). */
  const SORT_KEYS = {
    indikator: (j) => INDICATORS[j].name,
    varde: (j) => cell(j, OWN).value,
    forra: (j) => cell(j, OWN).previous,
    median: (j) => nationalNumber(INDICATORS[j]),
    kvartil: (j) => INDICATORS[j].q3Value,
    percentil: (j) => cell(j, OWN).percentile,
    n: (j) => cell(j, OWN).n,
    intervall: (j) => cell(j, OWN).low,
    status: (j) => STATUS_ORDER[cell(j, OWN).status],
  };

  function compareValues(a, b) {
    return typeof a === "string" ? COLLATOR.compare(a, b) : a - b;
  }

  function sortedIndices(indices) {
    if (!state.sort) return indices;
    const key = SORT_KEYS[state.sort];
    const sign = state.order === "fallande" ? -1 : 1;
    return indices.slice().sort((a, b) => {
      const x = key(a),
        y = key(b);
      if (x === null || y === null) return (x === null) - (y === null) || a - b;
      return sign * compareValues(x, y) || a - b;
    });
  }

  function filteredIndices() {
    const wanted = state.status ? EDITION.statusInFragment[state.status] : null;
    return INDICATORS.map((ind, j) => j).filter((j) => {
      const indicator = INDICATORS[j];
      return (
        (!state.delindex || String(indicator.delindex) === state.delindex) &&
        (!state.area || indicator.area === state.area) &&
        (!state.source || indicator.source === state.source) &&
        (!wanted || cell(j, OWN).status === wanted)
      );
    });
  }

  function columns(table) {
    return [...table.querySelectorAll("thead th")].map((th) => th.dataset.sort);
  }

  function intervalText(c) {
    return c.low === null ? "–" : `${c.low}–${c.high}${NBSP}%`;
  }

  function nText(c) {
    return c.nAssumed ? "ej redovisat" : c.n === null ? "–" : svNumber(c.n, 0);
  }

  const CELLS = {
    indikator: (j) => {
      const indicator = INDICATORS[j];
      const where = `${delindexName(indicator.delindex)} · ${indicator.area} · ${indicator.source}`;
      return h(
        "td",
        { class: "text name" },
        indicator.name,
        h("span", { class: "area", text: where }),
      );
    },
    varde: (j) => h("td", { class: "num", text: valueText(j, OWN) }),
    forra: (j) => {
      const previous = cell(j, OWN).previous;
      return h("td", {
        class: "num",
        text: previous === null ? "–" : svValue(previous, INDICATORS[j].kind),
      });
    },
    median: (j) => h("td", { class: "num", text: INDICATORS[j].national }),
    kvartil: (j) =>
      h("td", {
        class: "num",
        text:
          INDICATORS[j].q3Value === null ? "–" : svValue(INDICATORS[j].q3Value, INDICATORS[j].kind),
      }),
    percentil: (j) =>
      h("td", {
        class: "num",
        text: cell(j, OWN).percentile === null ? "–" : String(cell(j, OWN).percentile),
      }),
    n: (j) => h("td", { class: "num", text: nText(cell(j, OWN)) }),
    intervall: (j) => h("td", { class: "num", text: intervalText(cell(j, OWN)) }),
    status: (j) => statusCell(cell(j, OWN).status),
  };

  function renderIndicators() {
    const table = $("indicator-table");
    const keys = columns(table);
    const shown = sortedIndices(filteredIndices());
    table.tBodies[0].replaceChildren(
      ...shown.map((j) =>
        h("tr", { "data-id": INDICATORS[j].id }, ...keys.map((key) => CELLS[key](j))),
      ),
    );
    for (const th of table.querySelectorAll("thead th")) {
      const active = th.dataset.sort === state.sort;
      th.setAttribute(
        "aria-sort",
        active ? (state.order === "fallande" ? "descending" : "ascending") : "none",
      );
    }
    $("indicator-count").textContent = `Visar ${shown.length} av ${INDICATORS.length} indikatorer.`;
    for (const select of document.querySelectorAll("#vy-indikatorer select[data-state]")) {
      select.value = state[STATE_OF_SELECT[select.dataset.state]];
    }
    // Only the areas of the chosen delindex can be chosen with it.
    const areas = new Set(
      INDICATORS.filter((i) => !state.delindex || String(i.delindex) === state.delindex).map(
        (i) => i.area,
      ),
    );
    for (const option of $("f-area").options)
      option.disabled = Boolean(option.value) && !areas.has(option.value);
  }

  const STATE_OF_SELECT = {
    delindex: "delindex",
    omrade: "area",
    status: "status",
    kalla: "source",
    jdelindex: "compareDelindex",
    exempel: "examples",
  };

  function sortBy(key) {
    if (state.sort === key) state.order = state.order === "stigande" ? "fallande" : "stigande";
    else [state.sort, state.order] = [key, "stigande"];
    update();
  }

  function indicatorCsv() {
    const previous = INFO.previousYear;
    const header = [
      "Indikator",
      "Område",
      "Delindex",
      "Källa",
      "Värde",
      ...(previous ? [`Värde ${previous}`] : []),
      "Värdet är från föregående år",
      "Rikets median (ja/nej: andel som har, %)",
      "Övre kvartil",
      "Percentil",
      "Svarande (n)",
      "Intervall, nedre",
      "Intervall, övre",
      "Status",
    ];
    const rows = sortedIndices(filteredIndices()).map((j) => {
      const indicator = INDICATORS[j],
        c = cell(j, OWN),
        kind = indicator.kind;
      const national = nationalNumber(indicator);
      return [
        indicator.name,
        indicator.area,
        delindexName(indicator.delindex),
        indicator.source,
        csvValue(c.value, kind),
        ...(previous ? [csvValue(c.previous, kind)] : []),
        c.fromPrevious ? "Ja" : "Nej",
        national === null ? "" : plainNumber(national, kind === "number" ? 1 : 0),
        csvValue(indicator.q3Value, kind),
        c.percentile === null ? "" : String(c.percentile),
        c.nAssumed ? "ej redovisat" : c.n === null ? "" : String(c.n),
        c.low === null ? "" : String(c.low),
        c.high === null ? "" : String(c.high),
        WORDS.status[c.status],
      ];
    });
    download("indikatorer", [header, ...rows]);
  }

  // ----------------------------------------------------------------- CSV for Excel
  function csvValue(value, kind) {
    if (value === null || value === undefined) return "";
    if (kind === "binary") return value >= 0.5 ? "Ja" : "Nej";
    return plainNumber(value, kind === "percent" ? 0 : 1);
  }

  function csvField(text) {
    const value = String(text);
    return /[";\r\n]/.test(value) ? '"' + value.replace(/"/g, '""') + '"' : value;
  }

  /** Excel opens a file right with a byte order mark, `;` between fields, decimal commas. */
  function csvText(rows) {
    return "\ufeff" + rows.map((row) => row.map(csvField).join(";")).join("\r\n") + "\r\n";
  }

  function download(what, rows) {
    const blob = new Blob([csvText(rows)], { type: "text/csv;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const link = h("a", {
      href: url,
      download: `hemtjanstindex-${INFO.year}-${ME.code}-${what}.csv`,
    });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  // ----------------------------------------------------------------- Jämför
  function fold(text) {
    return text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
  }

  function squeeze(text) {
    return fold(text).replace(/[^a-z0-9]/g, "");
  }

  function distance(a, b) {
    let row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i += 1) {
      const next = [i];
      for (let k = 1; k <= b.length; k += 1) {
        next[k] = Math.min(
          row[k] + 1,
          next[k - 1] + 1,
          row[k - 1] + (a[i - 1] === b[k - 1] ? 0 : 1),
        );
      }
      row = next;
    }
    return row[b.length];
  }

  /** How well a name answers a query (lower is better), or null: "Vaxjo" finds Växjö. */
  function matchScore(municipality, query) {
    const name = squeeze(municipality.name);
    if (!query) return null;
    if (name === query || municipality.code === query) return 0;
    if (name.startsWith(query) || municipality.code.startsWith(query)) return 1;
    if (
      fold(municipality.name)
        .split(/[^a-z0-9]+/)
        .some((word) => word.startsWith(query))
    )
      return 2;
    if (name.includes(query)) return 3;
    if (query.length < 4) return null;
    const typos = distance(query, name.slice(0, query.length));
    return typos <= (query.length < 8 ? 1 : 2) ? 4 + typos : null;
  }

  function search(text) {
    const query = squeeze(text);
    return MUNICIPALITIES.map((m, i) => ({ i, score: matchScore(m, query) }))
      .filter((hit) => hit.score !== null && hit.i !== OWN)
      .sort(
        (a, b) =>
          a.score - b.score || COLLATOR.compare(MUNICIPALITIES[a.i].name, MUNICIPALITIES[b.i].name),
      )
      .slice(0, 12);
  }

  function renderSearch() {
    const text = $("search").value;
    const hits = text.trim() ? search(text) : [];
    $("search-results").replaceChildren(
      ...hits.map(({ i }) => {
        const m = MUNICIPALITIES[i];
        const chosen = state.compare.includes(m.code);
        return h(
          "li",
          null,
          h(
            "button",
            {
              type: "button",
              "data-code": m.code,
              disabled: chosen,
              onclick: () => addToComparison([m.code], `${m.name} är tillagd.`, $("search")),
            },
            chosen ? `${m.name} (vald)` : `Lägg till ${m.name}`,
            h("span", { class: "marker", text: ` · ${m.lan}` }),
          ),
        );
      }),
    );
    $("search-count").textContent = !text.trim()
      ? ""
      : hits.length
        ? `${hits.length} ${hits.length === 1 ? "träff" : "träffar"}.`
        : "Ingen kommun matchar sökningen.";
  }

  function addToComparison(codes, message, focus) {
    const fresh = codes.filter((code) => code !== ME.code && !state.compare.includes(code));
    state.compare = [...state.compare, ...fresh];
    $("compare-status").textContent = fresh.length ? message : "Kommunerna var redan valda.";
    update();
    if (focus) focus.focus();
  }

  function removeFromComparison(code) {
    const index = state.compare.indexOf(code);
    state.compare = state.compare.filter((c) => c !== code);
    $("compare-status").textContent =
      `${MUNICIPALITIES[INDEX_OF_CODE.get(code)].name} är borttagen.`;
    update();
    const buttons = $("chosen").querySelectorAll("button");
    (buttons[Math.min(index, buttons.length - 1)] || $("search")).focus();
  }

  function peers(key) {
    return MUNICIPALITIES.filter((m, i) => i !== OWN && ME[key] && m[key] === ME[key]).map(
      (m) => m.code,
    );
  }

  function compared() {
    return [OWN, ...state.compare.map((code) => INDEX_OF_CODE.get(code))].sort(
      (a, b) => MUNICIPALITIES[a].rank - MUNICIPALITIES[b].rank || a - b,
    );
  }

  function renderCompare() {
    const group = peers("kommungrupp"),
      lan = peers("lan");
    $("add-group").hidden = !ME.kommungrupp;
    $("add-group").textContent =
      `Lägg till kommungruppen ${ME.kommungrupp} (${group.length} kommuner)`;
    $("add-lan").textContent = `Lägg till ${ME.lan} (${lan.length} kommuner)`;
    $("chosen").replaceChildren(
      ...(state.compare.length
        ? state.compare.map((code) => {
            const m = MUNICIPALITIES[INDEX_OF_CODE.get(code)];
            return h(
              "li",
              null,
              m.name,
              h(
                "button",
                {
                  type: "button",
                  "aria-label": `Ta bort ${m.name}`,
                  onclick: () => removeFromComparison(code),
                },
                "×",
              ),
            );
          })
        : [h("li", { text: "Inga ännu: bara " + ME.name + " visas." })]),
    );
    renderSearch();
    renderCompareTotals();
    renderCompareIndicators();
    $("f-compare-delindex").value = state.compareDelindex;
  }

  function compareTotalsRows() {
    const previous = INFO.previousYear;
    const header = [
      "Kommun",
      "Län",
      "Totalindex",
      "Placering",
      "Resultatgrupp",
      ...DELINDEX.map((d) => d.name),
      ...(previous ? [`Förändring sedan ${previous}`] : []),
    ];
    const rows = compared().map((i) => {
      const m = MUNICIPALITIES[i];
      return {
        i,
        cells: [m.name, m.lan, m.total, m.rank, m.group, ...m.d, ...(previous ? [m.change] : [])],
      };
    });
    const median = [
      WORDS.median[0].toUpperCase() + WORDS.median.slice(1),
      "",
      EDITION.total.median,
      null,
      "",
      ...DELINDEX.map((d) => d.spread.median),
      ...(previous ? [null] : []),
    ];
    return { header, rows, median, previous };
  }

  function renderCompareTotals() {
    const { header, rows, median, previous } = compareTotalsRows();
    const table = $("compare-table");
    const numeric = (index) => index >= 2 && index !== 4;
    table.tHead.rows[0].replaceChildren(
      ...header.map((text, index) =>
        h("th", { scope: "col", class: numeric(index) ? null : "text", text }),
      ),
    );
    const show = (value, index, row) => {
      if (value === null || value === undefined) return "–";
      if (index === 3) return `${value} av ${COUNT}`;
      if (index >= 5 && index < 5 + DELINDEX.length) {
        return [
          svNumber(value),
          h("span", { class: "area", text: `plats ${MUNICIPALITIES[row].dRank[index - 5]}` }),
        ];
      }
      if (previous && index === header.length - 1) return svSigned(value);
      return typeof value === "number" ? svNumber(value) : value;
    };
    const body = rows.map(({ i, cells }) =>
      h(
        "tr",
        { class: i === OWN ? "own" : null },
        ...cells.map((value, index) =>
          index === 0
            ? h("th", { scope: "row", class: "text", text: value })
            : h("td", { class: numeric(index) ? "num" : "text" }, show(value, index, i)),
        ),
      ),
    );
    body.push(
      h(
        "tr",
        { class: "national" },
        ...median.map((value, index) =>
          index === 0
            ? h("th", { scope: "row", class: "text", text: value })
            : h("td", {
                class: numeric(index) ? "num" : "text",
                text: value === null ? "–" : typeof value === "number" ? svNumber(value) : value,
              }),
        ),
      ),
    );
    table.tBodies[0].replaceChildren(...body);
  }

  function compareTotalsCsv() {
    const { header, rows, previous } = compareTotalsRows();
    const out = [
      header.flatMap((name, index) =>
        index >= 5 && index < 5 + DELINDEX.length ? [name, name + ", placering"] : [name],
      ),
    ];
    for (const { i, cells } of rows) {
      out.push(
        cells.flatMap((value, index) => {
          if (index >= 5 && index < 5 + DELINDEX.length)
            return [plainNumber(value, 1), String(MUNICIPALITIES[i].dRank[index - 5])];
          if (index === 2 || (previous && index === cells.length - 1))
            return [value === null ? "" : plainNumber(value, 1)];
          return [String(value)];
        }),
      );
    }
    download("jamforelse", out);
  }

  function comparedIndicators() {
    return INDICATORS.map((ind, j) => j).filter(
      (j) => !state.compareDelindex || String(INDICATORS[j].delindex) === state.compareDelindex,
    );
  }

  function renderCompareIndicators() {
    const table = $("compare-indicators");
    const who = compared();
    table.tHead.rows[0].replaceChildren(
      h("th", { scope: "col", class: "text", text: "Indikator" }),
      ...who.map((i) =>
        h("th", { scope: "col", class: i === OWN ? "own" : null, text: MUNICIPALITIES[i].name }),
      ),
      h("th", { scope: "col", text: "Rikets median" }),
    );
    table.tBodies[0].replaceChildren(
      ...comparedIndicators().map((j) =>
        h(
          "tr",
          null,
          h("th", { scope: "row", class: "text name", text: INDICATORS[j].name }),
          ...who.map((i) => {
            const status = cell(j, i).status;
            // The dot's colour is the status; its word is there for screen readers too.
            return h(
              "td",
              { class: i === OWN ? "num own" : "num" },
              h(
                "span",
                { class: "status " + status },
                valueText(j, i),
                h("span", { class: "visually-hidden", text: ` (${WORDS.status[status]})` }),
              ),
            );
          }),
          h("td", { class: "num", text: INDICATORS[j].national }),
        ),
      ),
    );
  }

  function compareIndicatorsCsv() {
    const who = compared();
    const header = [
      "Indikator",
      ...who.map((i) => MUNICIPALITIES[i].name),
      "Rikets median (ja/nej: andel som har, %)",
    ];
    const rows = comparedIndicators().map((j) => {
      const indicator = INDICATORS[j],
        national = nationalNumber(indicator);
      return [
        indicator.name,
        ...who.map((i) => csvValue(cell(j, i).value, indicator.kind)),
        national === null ? "" : plainNumber(national, indicator.kind === "number" ? 1 : 0),
      ];
    });
    download("jamforelse-indikatorer", [header, ...rows]);
  }

  // ----------------------------------------------------------------- Prioritera
  function chosenIds() {
    return state.chosen === null ? PACKAGE.forbattra.slice() : state.chosen;
  }

  /** Indicators a choice could lift, or already chosen: largest lift first, as Förbättra
   * orders them (method.md §6: lift, then weight, then id, compared at 9 decimals). */
  function simulatorRows() {
    const chosen = new Set(chosenIds());
    const r9 = (x) => roundTo(x, INFO.decimals);
    return INDICATORS.map((ind, j) => ({ j, lift: lift(j, OWN) }))
      .filter((row) => row.lift > 0 || chosen.has(INDICATORS[row.j].id))
      .sort(
        (a, b) =>
          r9(b.lift) - r9(a.lift) ||
          r9(INDICATORS[b.j].c) - r9(INDICATORS[a.j].c) ||
          (INDICATORS[a.j].id < INDICATORS[b.j].id ? -1 : 1),
      );
  }

  function renderPrioritise() {
    const chosen = new Set(chosenIds());
    const rows = simulatorRows();
    const recommended = new Set(PACKAGE.forbattra);
    const unurged = new Set(PACKAGE.unurged);
    $("sim-table").tBodies[0].replaceChildren(
      ...rows.map(({ j, lift: gain }) => {
        const indicator = INDICATORS[j];
        const box = h("input", {
          type: "checkbox",
          value: indicator.id,
          checked: chosen.has(indicator.id),
          onchange: onSimulatorToggle,
        });
        return h(
          "tr",
          { class: chosen.has(indicator.id) ? "chosen" : null, "data-id": indicator.id },
          h(
            "td",
            { class: "text name" },
            h(
              "label",
              null,
              box,
              h(
                "span",
                null,
                indicator.name,
                recommended.has(indicator.id)
                  ? h("span", { class: "badge", text: "Förbättra" })
                  : null,
              ),
            ),
          ),
          h("td", { class: "text", text: delindexName(indicator.delindex) }),
          h("td", { class: "num", text: valueText(j, OWN) }),
          h("td", { class: "num", text: svValue(indicator.q3Value, indicator.kind) }),
          h("td", { class: "num", text: gainText(gain) + (unurged.has(indicator.id) ? " *" : "") }),
          statusCell(cell(j, OWN).status),
        );
      }),
    );
    const reached = INDICATORS.length - rows.length;
    const notes = [];
    if (reached) {
      notes.push(
        `${reached} av ${INDICATORS.length} indikatorer når redan ${WORDS.q3} och visas inte: ` +
          "där finns inget att vinna.",
      );
    }
    if (unurged.size) {
      notes.push(
        "* Något som de flesta andra kommuner också saknar: rapporten räknar ingen möjlig " +
          `vinst för det, men här visas vad det skulle ge att nå ${WORDS.q3}.`,
      );
    }
    $("sim-note").textContent = notes.join(" ");
    renderSimulation();
  }

  function renderSimulation() {
    const ids = chosenIds();
    const result = simulate(ids);
    $("sim-total").textContent = svNumber(result.total);
    $("sim-total-now").textContent = svNumber(ME.total);
    $("sim-delta").textContent = svSigned(result.delta);
    $("sim-rank").textContent = `${result.rank} av ${COUNT}`;
    $("sim-rank-now").textContent = `${ME.rank} av ${COUNT}`;
    const names = ids.map((id) => INDICATORS[INDEX_OF_ID.get(id)].name);
    $("sim-chosen").textContent =
      ids.length === 0
        ? "Inga indikatorer valda."
        : `${ids.length === 1 ? "En indikator vald" : ids.length + " indikatorer valda"}: ${svList(names)}.`;
    for (const row of $("sim-table").tBodies[0].rows)
      row.classList.toggle("chosen", ids.includes(row.dataset.id));
  }

  function onSimulatorToggle() {
    // In catalogue order, so that the fragment is the same whatever order boxes were ticked.
    const ticked = new Set(
      [...$("sim-table").querySelectorAll("input:checked")].map((box) => box.value),
    );
    state.chosen = INDICATORS.map((ind) => ind.id).filter((id) => ticked.has(id));
    writeState();
    renderSimulation();
  }

  function setChosen(ids) {
    state.chosen = ids;
    for (const box of $("sim-table").querySelectorAll("input[type=checkbox]"))
      box.checked = ids.includes(box.value);
    writeState();
    renderSimulation();
  }

  function simulationCsv() {
    const chosen = new Set(chosenIds());
    const rows = simulatorRows().map(({ j, lift: gain }) => {
      const indicator = INDICATORS[j];
      return [
        indicator.name,
        delindexName(indicator.delindex),
        chosen.has(indicator.id) ? "Ja" : "Nej",
        csvValue(cell(j, OWN).value, indicator.kind),
        csvValue(indicator.q3Value, indicator.kind),
        plainNumber(gain, 2),
        WORDS.status[cell(j, OWN).status],
      ];
    });
    const result = simulate(chosenIds());
    download("prioritering", [
      ["Indikator", "Delindex", "Vald", "Värde", "Övre kvartil", "Höjer totalindex med", "Status"],
      ...rows,
      [],
      ["Totalindex idag", plainNumber(ME.total, 1)],
      ["Totalindex med valda förbättringar", plainNumber(result.total, 1)],
      ["Placering idag", String(ME.rank)],
      ["Placering med valda förbättringar", String(result.rank)],
    ]);
  }

  // ----------------------------------------------------------------- Goda exempel
  function exampleIndicators() {
    if (state.examples === "forbattra") return PACKAGE.forbattra.map((id) => INDEX_OF_ID.get(id));
    if (state.examples === "alla") return INDICATORS.map((ind, j) => j);
    const r9 = (x) => roundTo(x, INFO.decimals);
    return INDICATORS.map((ind, j) => j)
      .filter((j) => ["improvement", "missing"].includes(cell(j, OWN).status))
      .sort((a, b) => r9(lift(b, OWN)) - r9(lift(a, OWN)) || a - b);
  }

  function renderExamples() {
    $("f-examples").value = state.examples;
    const shown = exampleIndicators();
    $("examples").replaceChildren(
      ...(shown.length ? shown.map(exampleCard) : [h("p", { text: "Inga indikatorer att visa." })]),
    );
  }

  function exampleCard(j) {
    const indicator = INDICATORS[j];
    const examples = PACKAGE.examples[indicator.id] || [];
    return h(
      "section",
      { class: "example", "aria-labelledby": "ex-" + indicator.id },
      h("h3", { id: "ex-" + indicator.id, text: indicator.name }),
      h("p", {
        text:
          `${ME.name}: ${valueText(j, OWN)} · ${nationalText(j, ": ")} · ` +
          WORDS.status[cell(j, OWN).status],
      }),
      examples.length
        ? h(
            "ol",
            null,
            ...examples.map(([code, same]) => {
              const i = INDEX_OF_CODE.get(code),
                m = MUNICIPALITIES[i];
              return h(
                "li",
                null,
                `${m.name}${same ? " (samma kommungrupp)" : ""}: ${valueText(j, i)}`,
                h("span", { class: "marker", text: ` · ${m.lan}` }),
              );
            }),
          )
        : h("p", {
            class: "note",
            text: "Ingen annan kommun har ett bättre resultat på indikatorn.",
          }),
    );
  }

  // ----------------------------------------------------------------- Enheter
  // Everything here is worded in Python (documents/units/build.py), as in enheter.pdf;
  // the script only places it and draws the means.
  let unitsDrawn = false;

  function renderUnits() {
    if (unitsDrawn) return; // the view does not change with the fragment
    unitsDrawn = true;
    $("units-lead").textContent = [UNITS.lead, UNITS.unmeasured].filter(Boolean).join(" ");
    $("units-caption").textContent = UNITS.caption;
    const table = $("units-table");
    table.tHead.replaceChildren(
      h(
        "tr",
        null,
        h("th", { scope: "col", class: "text", text: "Enhet och utförare" }),
        ...UNITS.delindexNames.map((name) => h("th", { scope: "col", text: name })),
        h("th", { scope: "col", text: "Styrkor" }),
        h("th", { scope: "col", text: "Förbättringsområden" }),
      ),
    );
    table.tBodies[0].replaceChildren(
      ...UNITS.overview.map((row) =>
        h(
          "tr",
          null,
          h(
            "th",
            { scope: "row", class: "text" },
            row.name,
            h("span", { class: "area", text: row.provider }),
          ),
          ...row.delindex.map((text) => h("td", { class: "num", text })),
          h("td", { class: "num", text: String(row.strengths) }),
          h("td", { class: "num", text: String(row.improvements) }),
        ),
      ),
    );
    // A municipality without units in the edition: the lead says so, no empty table.
    table.closest(".table-wrap").hidden = UNITS.overview.length === 0;
    $("units-note").hidden = UNITS.overview.length === 0;
    $("units-note").textContent = UNITS.note;
    $("units-delindex").replaceChildren(...UNITS.means.map(unitMeans));
    $("providers-lead").textContent = UNITS.providersLead;
    $("providers").replaceChildren(...(UNITS.providers.length ? [providerTable()] : []));
    $("each-lead").textContent = UNITS.eachLead;
    $("each-unit").replaceChildren(...UNITS.units.map(unitDetails));
  }

  function unitMeans(facts, k) {
    const id = "units-d" + k;
    return h(
      "section",
      { "aria-labelledby": id },
      h("h3", { id, text: facts.name }),
      h("p", { text: facts.lead }),
      h(
        "figure",
        { class: "chart units-chart" },
        meansChart(facts),
        h("figcaption", { text: facts.caption }),
      ),
      facts.missing ? h("p", { class: "note", text: facts.missing }) : null,
    );
  }

  /** Each unit's mean as a bar, the municipality's own mean a tick on it, the national
   * unit median dashed: the chart of enheter.pdf (documents/units/charts.py). */
  function meansChart(facts) {
    const width = 720,
      row = 30,
      top = 8,
      labelEnd = 250,
      right = 60;
    const height = top + row * facts.bars.length + 26;
    const x = (v) => labelEnd + 10 + ((width - right - labelEnd - 10) * v) / 100;
    const bottom = top + row * facts.bars.length;
    const id = "chart-" + (chartCount += 1);
    const svg = s("svg", {
      viewBox: `0 0 ${width} ${height}`,
      role: "img",
      "aria-labelledby": `${id}-title`,
      focusable: "false",
    });
    svg.append(s("title", { id: id + "-title" }, facts.alt));
    for (const tick of [0, 25, 50, 75, 100]) {
      svg.append(
        s("line", { x1: x(tick), x2: x(tick), y1: top, y2: bottom, stroke: COLOURS.rule }),
        s(
          "text",
          {
            x: x(tick),
            y: bottom + 18,
            "text-anchor": "middle",
            "font-size": 14,
            fill: COLOURS.muted,
          },
          String(tick),
        ),
      );
    }
    facts.bars.forEach(([name, value, kommun], i) => {
      const middle = top + row * (i + 0.5);
      svg.append(
        s(
          "text",
          { x: labelEnd, y: middle + 5, "text-anchor": "end", "font-size": 14, fill: COLOURS.ink },
          name,
        ),
        s("rect", {
          x: x(0),
          y: middle - 10,
          width: x(value) - x(0),
          height: 20,
          fill: COLOURS.middle,
        }),
        s(
          "text",
          { x: width - 4, y: middle + 5, "text-anchor": "end", "font-size": 14, fill: COLOURS.ink },
          svNumber(value),
        ),
      );
      if (kommun !== null)
        svg.append(
          s("line", {
            x1: x(kommun),
            x2: x(kommun),
            y1: middle - 13,
            y2: middle + 13,
            stroke: COLOURS.municipality,
            "stroke-width": 4,
          }),
        );
    });
    if (facts.national !== null)
      svg.append(
        s("line", {
          x1: x(facts.national),
          x2: x(facts.national),
          y1: top,
          y2: bottom,
          stroke: COLOURS.median,
          "stroke-width": 2,
          "stroke-dasharray": "7 4",
        }),
      );
    return svg;
  }

  function providerTable() {
    return h(
      "div",
      { class: "table-wrap", role: "region", "aria-labelledby": "providers-caption", tabindex: 0 },
      h(
        "table",
        { class: "data" },
        h("caption", {
          id: "providers-caption",
          text: "Medelvärde av enheternas delindex, kommunala och privata enheter",
        }),
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            h("th", { scope: "col", class: "text", text: "Delindex" }),
            h("th", { scope: "col", text: "Kommunala enheter" }),
            h("th", { scope: "col", text: "Privata enheter" }),
            h("th", { scope: "col", text: "Alla enheter i riket (median)" }),
          ),
        ),
        h(
          "tbody",
          null,
          ...UNITS.providers.map((line) =>
            h(
              "tr",
              null,
              h("th", { scope: "row", class: "text", text: line.name }),
              h("td", { class: "num", text: line.kommunal }),
              h("td", { class: "num", text: line.privat }),
              h("td", { class: "num", text: line.national }),
            ),
          ),
        ),
      ),
    );
  }

  function unitDetails(unit) {
    const findings = (items, cls) =>
      h(
        "ul",
        { class: "findings " + cls },
        ...items.map(([name, detail]) =>
          h("li", null, name, h("span", { class: "detail", text: ": " + detail })),
        ),
      );
    const part = (title, items, none, cls) => [
      h("h4", { text: title }),
      items.length ? findings(items, cls) : none ? h("p", { text: none }) : null,
    ];
    return h(
      "details",
      { class: "unit" },
      h("summary", null, unit.name, h("span", { class: "detail", text: " · " + unit.about })),
      ...part("Styrkor", unit.strengths, UNITS.noStrengths, "keep"),
      ...part("Förbättringsområden", unit.improvements, UNITS.noImprovements, "improve"),
      ...(unit.below.length
        ? part("I övrigt tydligt under kommunens värde", unit.below, null, "")
        : []),
    );
  }

  // ----------------------------------------------------------------- views and events
  const RENDER = {
    oversikt: renderOverview,
    indikatorer: renderIndicators,
    jamfor: renderCompare,
    prioritera: renderPrioritise,
    exempel: renderExamples,
    enheter: renderUnits,
  };

  function update() {
    writeState();
    render();
  }

  function render() {
    for (const section of document.querySelectorAll("section.view"))
      section.hidden = section.dataset.view !== state.view;
    for (const link of document.querySelectorAll("nav.views a")) {
      link.setAttribute("href", "#" + fragment({ view: link.dataset.view }));
      if (link.dataset.view === state.view) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    $("notice").textContent = notices.join(" ");
    $("notice").hidden = notices.length === 0;
    RENDER[state.view]();
  }

  function onHashChange() {
    if (location.hash === writtenHash) return;
    const before = state.view;
    readState();
    writeState();
    render();
    if (state.view !== before) $("h-" + state.view).focus();
  }

  function bind() {
    for (const select of document.querySelectorAll("select[data-state]")) {
      select.addEventListener("change", () => {
        state[STATE_OF_SELECT[select.dataset.state]] = select.value;
        update();
      });
    }
    for (const th of $("indicator-table").querySelectorAll("thead th")) {
      th.querySelector("button").addEventListener("click", () => sortBy(th.dataset.sort));
    }
    $("f-clear").addEventListener("click", () => {
      Object.assign(state, { delindex: "", area: "", status: "", source: "" });
      update();
    });
    $("search").addEventListener("input", renderSearch);
    $("search").addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      const first = $("search-results").querySelector("button:not([disabled])");
      if (first) first.click();
    });
    $("add-group").addEventListener("click", () =>
      addToComparison(peers("kommungrupp"), `Kommungruppen ${ME.kommungrupp} är tillagd.`),
    );
    $("add-lan").addEventListener("click", () =>
      addToComparison(peers("lan"), `${ME.lan} är tillagt.`),
    );
    $("clear-compare").addEventListener("click", () => {
      state.compare = [];
      $("compare-status").textContent = "Alla jämförda kommuner är borttagna.";
      update();
    });
    $("sim-recommended").addEventListener("click", () => setChosen(PACKAGE.forbattra.slice()));
    $("sim-improvements").addEventListener("click", () =>
      setChosen(
        simulatorRows()
          .filter(({ j }) => ["improvement", "missing"].includes(cell(j, OWN).status))
          .map(({ j }) => INDICATORS[j].id)
          .sort((a, b) => INDEX_OF_ID.get(a) - INDEX_OF_ID.get(b)),
      ),
    );
    $("sim-clear").addEventListener("click", () => setChosen([]));
    $("export-indicators").addEventListener("click", indicatorCsv);
    $("export-compare").addEventListener("click", compareTotalsCsv);
    $("export-compare-indicators").addEventListener("click", compareIndicatorsCsv);
    $("export-simulation").addEventListener("click", simulationCsv);
    window.addEventListener("hashchange", onHashChange);
  }

  function start() {
    const details = [
      ME.lan,
      ME.kommungrupp ? "kommungrupp " + ME.kommungrupp : null,
      `publicerad ${INFO.published}`,
    ].filter(Boolean);
    $("meta").textContent = details.join(" · ");
    $("nav-enheter").hidden = !UNITS;
    readState();
    bind();
    writeState();
    render();
  }

  // For tests and the curious: the formatting and the simulator, as the page uses them.
  window.verktyg = Object.freeze({
    svNumber,
    svSigned,
    svPercent,
    svValue,
    plainNumber,
    roundTo,
    simulate,
    projectedTotal,
    projectedRank,
    lift,
    csvText,
    search: (text) => search(text).map(({ i }) => MUNICIPALITIES[i].name),
  });
  start();
})();
