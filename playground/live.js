// Backprop Playground in the browser: every chart, and live training played out on the browser's own clock.
//
// One component, five roles (data.role):
//   "chart"   a Plotly graph, built once and updated in place with Plotly.react (st.plotly_chart rebuilds the whole
//             graph at every update). A chart with data.live follows the player's frames.
//   "text"    a line of text (the epoch, the weights, the loss) that follows the player's frames.
//   "player"  the Play/Stop control. It plays the frames the server sends (epoch, weights, losses) at their pace,
//             asks for the next chunk when less than data.pull_seconds are left, and on Stop tells the server the
//             epoch on screen, so the run stops exactly there.
//   "page"    once per page: loads Plotly early, keyboard shortcuts, and sidebar manners (closed after choosing a
//             page on a phone, closed in presenter mode).
//   "follow"  in a room, the presenter's frames relayed by the server: played like the player's own, at the moment
//             the presenter's screen shows them, without asking this page's server for more (see rooms.py).
// Everything shared lives in one object per browser tab, window.__playground.

const shared = (window.__playground ??= {
  plotly: {}, // bundle name -> Promise of its Plotly
  frame: null, // the frame on screen while live: {epoch, params, losses}, or null when showing the server's state
  queue: [], // frames still to show, each with its time (performance.now() ms)
  listeners: new Set(),
  trigger: null, // the player's setTriggerValue, for the keyboard
  live: false,
  frozen: false, // Stop was pressed: hold the frame on screen until the server answers
  lastChunk: 0,
  more: false,
  pulling: 0, // when the last request for more frames was sent
  pullSeconds: 0.6,
  following: false, // playing a room's frames: hold the last one until the server shows the room's run itself
  followed: null, // the room version whose frames were queued last
  trail: [], // while following: the frames shown so far, {epoch, losses}, for the loss chart
});

// -- Plotly, loaded once per bundle; each graph uses the Plotly it was loaded with -----------------------------------
function loadPlotly(url, bundle) {
  shared.plotly[bundle] ??= new Promise((resolve, reject) => {
    const previous = window.Plotly;
    const script = document.createElement("script");
    script.src = url;
    script.onload = () => {
      const loaded = window.Plotly;
      if (previous && previous !== loaded) window.Plotly = previous; // a second bundle must not replace the first
      loaded ? resolve(loaded) : reject(new Error("no Plotly in " + url));
    };
    script.onerror = () => reject(new Error("could not load " + url));
    document.head.appendChild(script);
  });
  return shared.plotly[bundle];
}

// Arrays travel as {dtype, bdata[, shape]} (plotly.js's own typed-array form); decode them to slice them here.
const TYPES = { f4: Float32Array, f8: Float64Array, i4: Int32Array, u1: Uint8Array, i1: Int8Array, u4: Uint32Array,
                i2: Int16Array, u2: Uint16Array };
function decode(value) {
  if (!value || typeof value !== "object" || !("bdata" in value)) return value;
  const bytes = Uint8Array.from(atob(value.bdata), (c) => c.charCodeAt(0));
  return new TYPES[value.dtype](bytes.buffer);
}

function format(value, decimals) {
  return Number.isFinite(value) ? value.toFixed(decimals) : String(value);
}

function publish(frame) {
  shared.frame = frame;
  for (const listener of shared.listeners) listener(frame);
}

// -- the player --------------------------------------------------------------------------------------------------
function enqueue(chunk) {
  if (!chunk || chunk.number <= shared.lastChunk) return; // a chunk already seen (the page redrew)
  shared.lastChunk = chunk.number;
  shared.more = chunk.more;
  shared.pulling = 0;
  const epochs = decode(chunk.epochs);
  const params = decode(chunk.params);
  const losses = decode(chunk.losses);
  const nParams = epochs.length ? params.length / epochs.length : 0;
  const nLosses = epochs.length ? losses.length / epochs.length : 0;
  const now = performance.now();
  let at = shared.queue.length ? shared.queue[shared.queue.length - 1].time : now;
  const step = chunk.seconds_per_frame * 1000;
  for (let i = 0; i < epochs.length; i++) {
    if (step === 0 && i < epochs.length - 1) continue; // training to a target: show where it is now
    at += step;
    shared.queue.push({
      epoch: epochs[i],
      params: params.subarray(i * nParams, (i + 1) * nParams),
      losses: losses.subarray(i * nLosses, (i + 1) * nLosses),
      time: at,
    });
  }
  if (!shared.live) {
    shared.live = true;
    if (shared.queue.length) publish(shared.queue.shift()); // the first frame at once, never the server's lead
    requestAnimationFrame(tick);
  }
}

function tick() {
  if (!shared.live) return;
  const now = performance.now();
  let next = null;
  if (!shared.frozen) {
    while (shared.queue.length && shared.queue[0].time <= now) next = shared.queue.shift();
  }
  if (next) {
    if (shared.following) keepTrail(next);
    publish(next);
  }
  const left = shared.queue.length ? (shared.queue[shared.queue.length - 1].time - now) / 1000 : 0;
  if (shared.more && !shared.frozen && !shared.following && left < shared.pullSeconds && now - shared.pulling > 3000) {
    shared.pulling = now; // asked again after 3 s if no answer came (a rerun can be cut short by another)
    shared.trigger?.("need", { shown: shared.frame ? shared.frame.epoch : -1, chunk: shared.lastChunk });
  }
  if (!shared.more && !shared.queue.length && !shared.frozen && !shared.following) {
    shared.live = false; // played out: the server's own state is on screen again
    publish(null);
    return;
  }
  requestAnimationFrame(tick);
}

function stopLive() {
  shared.queue = [];
  shared.trail = [];
  shared.more = false;
  shared.frozen = false;
  clearTimeout(shared.stopAgain);
  if (shared.live) {
    shared.live = false;
    publish(null);
  }
}

function player({ data, parentElement, setTriggerValue }) {
  shared.trigger = setTriggerValue;
  shared.pullSeconds = data.pull_seconds;
  let button = parentElement.querySelector("button");
  if (!button) {
    button = document.createElement("button");
    button.className = "pg-player";
    button.type = "button";
    button.addEventListener("click", () => togglePlay());
    parentElement.appendChild(button);
  }
  const running = data.mode !== null;
  button.textContent = running ? data.stop_label : data.play_label;
  button.dataset.mode = data.mode ?? "idle";
  button.disabled = Boolean(data.disabled);
  button.setAttribute("aria-pressed", String(running));
  if (!running) {
    if (data.chunk && !shared.frozen) enqueue(data.chunk); // the last frames of a run that ended by itself
    else if (!shared.following) stopLive(); // the server's own state is current: its answer to Stop, or a click
    // after the last frames (a room's frames, though, play on until the room's run is in force here)
  } else if (data.chunk && !shared.frozen) {
    // (A chunk that arrives after Stop was pressed answers an earlier request: the run stops where it was seen.)
    if (data.chunk.replace) shared.queue = []; // the run changed under the frames still queued (a new rate)
    enqueue(data.chunk);
  }
}

function togglePlay() {
  if (!shared.trigger) return;
  const button = document.querySelector(".pg-player");
  if (button && button.dataset.mode !== "idle") {
    shared.frozen = true; // keep the epoch on screen: that is where the run stops
    const shown = shared.frame ? shared.frame.epoch : -1;
    shared.trigger("stop", { shown });
    clearTimeout(shared.stopAgain); // a message can be lost when reruns overlap: ask again until it is answered
    shared.stopAgain = setTimeout(function again() {
      if (!shared.frozen) return;
      shared.trigger?.("stop", { shown });
      shared.stopAgain = setTimeout(again, 2000);
    }, 2000);
  } else {
    shared.trigger("play", true);
  }
}

// -- following a room ------------------------------------------------------------------------------------------------
const MAX_TRAIL = 4000;

function keepTrail(frame) {
  shared.trail.push({ epoch: frame.epoch, losses: frame.losses });
  if (shared.trail.length > MAX_TRAIL) shared.trail = shared.trail.filter((_, i) => i % 2 === 0);
}

function follow({ data }) {
  const relay = data.relay;
  if (!relay) {
    if (shared.following) {
      shared.following = false; // the server shows the room's run itself now
      shared.followed = null;
      stopLive();
    }
    return;
  }
  if (relay.version === shared.followed) return; // the same frames, redrawn
  shared.followed = relay.version;
  shared.following = true;
  const chunk = relay.chunk;
  const epochs = decode(chunk.epochs);
  const params = decode(chunk.params);
  const losses = decode(chunk.losses);
  if (!epochs.length) return;
  const nParams = params.length / epochs.length;
  const nLosses = losses.length / epochs.length;
  // A run that went back (a Stop where the presenter's screen was, a Reset): drop what lies beyond its start.
  shared.queue = shared.queue.filter((f) => f.epoch < epochs[0]);
  shared.trail = shared.trail.filter((f) => f.epoch < epochs[0]);
  const first = performance.now() + relay.delay * 1000; // when the presenter's screen shows the first frame
  const step = chunk.seconds_per_frame * 1000;
  for (let i = 0; i < epochs.length; i++) {
    if (step === 0 && i < epochs.length - 1) continue; // training to a target: where it is now
    shared.queue.push({
      epoch: epochs[i],
      params: params.subarray(i * nParams, (i + 1) * nParams),
      losses: losses.subarray(i * nLosses, (i + 1) * nLosses),
      time: first + i * step,
    });
  }
  if (!shared.live) {
    shared.live = true;
    requestAnimationFrame(tick);
  }
}

// -- text that follows the frames ------------------------------------------------------------------------------------
function liveText({ data, parentElement }) {
  let line = parentElement.querySelector(".pg-text");
  if (!line) {
    line = document.createElement("div");
    line.className = "pg-text";
    parentElement.appendChild(line);
  }
  line.dataset.kind = data.kind;
  const render = (frame) => {
    if (!frame) {
      line.textContent = data.text;
    } else if (data.kind === "epoch") {
      line.textContent = data.prefix + frame.epoch.toLocaleString("en-US");
    } else if (data.kind === "weights") {
      line.textContent = data.names.map((n, i) => `${n} = ${format(frame.params[i], 4)}`).join(" · ");
    } else if (data.kind === "loss") {
      line.textContent = data.prefix + format(frame.losses[data.loss_index], 6) + data.suffix;
    }
  };
  if (line.listener) shared.listeners.delete(line.listener);
  line.listener = render;
  shared.listeners.add(render);
  render(shared.live ? shared.frame : null);
  return () => shared.listeners.delete(render);
}

// -- charts ----------------------------------------------------------------------------------------------------------
function createGraph(parentElement, data) {
  // The chart's data as a table, on request (a line above the chart, taken from the chart's own height).
  const details = document.createElement("details");
  details.className = "pg-table";
  details.appendChild(document.createElement("summary"));
  details.appendChild(document.createElement("div"));
  parentElement.appendChild(details);
  const graph = document.createElement("div");
  graph.className = "live-plot";
  graph.style.width = "100%";
  graph.setAttribute("role", "img");
  parentElement.appendChild(graph);
  graph.details = details;
  details.addEventListener("toggle", () => details.open && fillTable(details, graph.figure));
  // Follow the column's width and the window's height (the sidebar opening, a phone turning).
  graph.resizer = new ResizeObserver(() => {
    const { width, height } = graph.getBoundingClientRect();
    if (width === graph.lastWidth && height === graph.lastHeight) return;
    graph.lastWidth = width;
    graph.lastHeight = height;
    // Plotly refuses (with an error) to resize a graph that is not displayed: a hidden tab, a page being left.
    if (!graph.plotly || !graph._fullLayout || !width || !height || !graph.isConnected) return;
    graph.plotly.Plots.resize(graph).catch(() => {});
  });
  graph.resizer.observe(graph);
  return graph;
}

const touchScreen = () => window.matchMedia("(pointer: coarse)").matches;

function prepare(data) {
  const figure = JSON.parse(data.figure);
  for (const trace of figure.data) {
    for (const axis of ["x", "y", "text"]) if (trace[axis]) trace[axis] = decode(trace[axis]);
  }
  figure.layout.autosize = true;
  delete figure.layout.height; // the graph's box decides (data.height)
  if (touchScreen()) {
    // A finger on a chart scrolls the page; a tap still shows the value.
    figure.layout.dragmode = false;
    for (const axis of ["xaxis", "yaxis"]) figure.layout[axis] = { ...figure.layout[axis], fixedrange: true };
  }
  return figure;
}

// The figure as it is at ``frame``. The server marks what follows the frames in each trace's meta.live:
//   "epochs"      x are epochs: shown up to the frame's epoch;   "loss": the same, ending at the frame's own loss;
//   "to_now"      a line from the first epoch to the frame's;    "weights": bar heights are the frame's parameters
//   (meta.params);  "edge_labels": texts are those parameters;  layout.meta.edges: the network diagram's lines.
function atFrame(figure, frame, lossIndex) {
  const colors = figure.layout.meta?.colors ?? {};
  const cut = (x, epoch, inclusive) => {
    let k = x.length;
    while (k > 0 && (inclusive ? x[k - 1] > epoch : x[k - 1] >= epoch)) k--;
    return k;
  };
  const data = figure.data.map((trace) => {
    const role = trace.meta?.live;
    if (role === "epochs") {
      const k = cut(trace.x, frame.epoch, true);
      return { ...trace, x: trace.x.slice(0, k), y: trace.y.slice(0, k) };
    }
    if (role === "loss") {
      const k = cut(trace.x, frame.epoch, false);
      const x = [...trace.x.slice(0, k)];
      const y = [...trace.y.slice(0, k)];
      const drawnTo = k ? x[k - 1] : -1;
      for (const f of shared.trail) { // a room's frames go beyond the server's curve: draw them too
        if (f.epoch > drawnTo && f.epoch < frame.epoch) {
          x.push(f.epoch);
          y.push(f.losses[lossIndex]);
        }
      }
      return { ...trace, x: [...x, frame.epoch], y: [...y, frame.losses[lossIndex]] };
    }
    if (role === "to_now") return { ...trace, x: [trace.x[0], frame.epoch] };
    if (role === "weights") {
      const y = trace.meta.params.map((p) => frame.params[p]);
      return { ...trace, y, text: y.map((v) => format(v, 4)),
               marker: { ...trace.marker, color: y.map((v) => (v >= 0 ? colors.positive : colors.negative)) } };
    }
    if (role === "edge_labels") return { ...trace, text: trace.meta.params.map((p) => format(frame.params[p], 3)) };
    return trace;
  });
  let layout = figure.layout;
  const edges = layout.meta?.edges;
  if (edges) {
    const weights = edges.map((p) => frame.params[p]);
    const biggest = Math.max(...weights.map(Math.abs), 1e-12);
    const shapes = layout.shapes.map((shape, i) => (i < weights.length ? { ...shape, line: {
      color: weights[i] >= 0 ? colors.positive : colors.negative, dash: weights[i] >= 0 ? "solid" : "dash",
      width: 0.5 + (9 * Math.abs(weights[i])) / biggest } } : shape));
    layout = { ...layout, shapes };
  }
  return { data, layout };
}

// -- a chart's data as a table ---------------------------------------------------------------------------------------
const TABLE_LINE = "1.6rem";
const TABLE_ROWS = 50; // rows per trace at most: evenly spread, the last one always in

function cell(value) {
  if (typeof value !== "number") return String(value ?? "");
  return Number.isInteger(value) ? value.toLocaleString("en-US") : Number(value.toPrecision(6)).toString();
}

function fillTable(details, figure) {
  const box = details.lastChild;
  box.replaceChildren();
  const titles = ["xaxis", "yaxis"].map((a) => figure.layout[a]?.title?.text ?? a[0]);
  for (const trace of figure.data) {
    if (trace.hoverinfo === "skip" || !trace.y || !trace.y.length) continue; // bands, targets, guides
    const columns = [["x", titles[0]], ["y", titles[1]], ["z", "z"]].filter(([k]) => trace[k] && trace[k].length);
    const n = trace.y.length;
    const rows = n <= TABLE_ROWS ? [...Array(n).keys()]
      : [...new Set([...Array(TABLE_ROWS - 1).keys()].map((i) => Math.floor((i * n) / (TABLE_ROWS - 1))))];
    if (n > TABLE_ROWS) rows.push(n - 1);
    const table = document.createElement("table");
    const caption = table.createCaption();
    caption.textContent = trace.name || titles[1];
    const head = table.createTHead().insertRow();
    for (const [, title] of columns) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = title;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const i of rows) {
      const row = body.insertRow();
      for (const [k] of columns) row.insertCell().textContent = cell(trace[k][i]);
    }
    box.appendChild(table);
  }
}

function chart({ data, parentElement }) {
  const graph = parentElement.querySelector(".live-plot") ?? createGraph(parentElement, data);
  graph.setAttribute("aria-label", data.label || "");
  graph.style.height = `calc(${data.height} - ${TABLE_LINE})`; // data.height: the chart and its table's line
  graph.details.firstChild.textContent = data.table_label || "";
  graph.figure = prepare(data);
  if (graph.details.open) fillTable(graph.details, graph.figure);
  graph.live = data.live || null;
  graph.config = { ...data.config, scrollZoom: false, responsive: false };
  graph.draw = (frame) => {
    if (graph.drawScheduled) return;
    graph.drawScheduled = true;
    requestAnimationFrame(() => {
      graph.drawScheduled = false;
      const bundle = data.bundle;
      loadPlotly(data.plotly_url, bundle)
        .then((Plotly) => {
          graph.plotly = Plotly;
          const shown = graph.live && shared.live && shared.frame
            ? atFrame(graph.figure, shared.frame, graph.live.loss_index) : graph.figure;
          return Plotly.react(graph, shown.data, shown.layout, graph.config);
        })
        .catch((error) => {
          console.warn(error);
          graph.textContent = data.failed_text;
        });
    });
  };
  if (graph.listener) shared.listeners.delete(graph.listener);
  graph.listener = graph.live ? () => graph.draw() : null;
  if (graph.listener) shared.listeners.add(graph.listener);
  graph.draw();
  return () => {
    if (graph.listener) shared.listeners.delete(graph.listener);
    graph.resizer.disconnect();
    if (graph.plotly) graph.plotly.purge(graph);
  };
}

// -- once per page ---------------------------------------------------------------------------------------------------
const EDITABLE = "input, textarea, select, [contenteditable='true'], [role='grid'], [role='combobox'], [role='slider']";

function onKey(event) {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target instanceof Element && event.target.closest(EDITABLE)) return; // never while typing in a field
  const playerOnPage = document.querySelector(".pg-player");
  if (!playerOnPage || playerOnPage.disabled) return;
  // A presentation clicker sends → and Space (some send PageDown/PageUp).
  const actions = { ArrowRight: "step", PageDown: "step", ArrowLeft: "back", PageUp: "back", r: "reset", R: "reset" };
  if (event.key === " ") {
    event.preventDefault();
    togglePlay();
  } else if (actions[event.key] && shared.trigger) {
    event.preventDefault();
    shared.trigger("key", actions[event.key]);
  }
}

function page({ data }) {
  for (const [bundle, url] of Object.entries(data.preload || {})) loadPlotly(url, bundle).catch(() => {});
  if (!shared.keyboard) {
    shared.keyboard = true;
    document.addEventListener("keydown", onKey);
    // On a phone the sidebar covers the page: close it once a page has been chosen.
    document.addEventListener("click", (event) => {
      const link = event.target instanceof Element && event.target.closest('[data-testid="stSidebarNav"] a');
      if (link && window.innerWidth < 768) closeSidebar();
    });
  }
  if (!shared.scrollers) {
    // A region that scrolls sideways (a one-line link, a wide formula) must be reachable with the keyboard.
    // (characterData: a toast's text arrives after the toast itself.)
    const reachable = () => {
      for (const el of document.querySelectorAll(".stApp pre, .stApp .katex-display")) {
        if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
      }
      // Streamlit's toasts are dialogs without a name: named by their message.
      for (const toast of document.querySelectorAll('.stToast[role$="dialog"]:not([aria-label])')) {
        toast.setAttribute("aria-label", toast.innerText.trim().slice(0, 200));
      }
    };
    shared.scrollers = new MutationObserver(reachable);
    shared.scrollers.observe(document.body, { childList: true, subtree: true, characterData: true });
    reachable();
  }
  if (data.close_sidebar && shared.sidebarClosedFor !== data.close_sidebar) {
    shared.sidebarClosedFor = data.close_sidebar; // once per request (presenter mode turned on)
    closeSidebar();
  }
}

function closeSidebar() {
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  if (sidebar && sidebar.getAttribute("aria-expanded") !== "false") {
    document.querySelector('[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebarCollapseButton"]')
      ?.click();
  }
}

export default function (args) {
  const role = args.data.role;
  if (role === "chart") return chart(args);
  if (role === "text") return liveText(args);
  if (role === "player") return player(args);
  if (role === "page") return page(args);
  if (role === "follow") return follow(args);
}
