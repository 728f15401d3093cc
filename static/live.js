// Backprop Playground in the browser: every chart, and live training played out on the browser's own clock.
//
// One component, four roles (data.role):
//   "chart"   a Plotly graph, built once and updated in place with Plotly.react (st.plotly_chart rebuilds the whole
//             graph at every update). A chart with data.live follows the player's frames.
//   "text"    a line of text (the epoch, the weights, the loss) that follows the player's frames.
//   "player"  the Play/Stop control. It plays the frames the server sends (epoch, weights, losses) at their pace,
//             asks for the next chunk when less than data.pull_seconds are left, and on Stop tells the server the
//             epoch on screen, so the run stops exactly there.
//   "page"    once per page: loads Plotly early, keyboard shortcuts, and sidebar manners (closed after choosing a
//             page on a phone, closed in presenter mode).
// Everything shared lives in one object per browser tab, window.__playground.

const shared = (window.__playground ??= {
  plotly: {}, // bundle name -> Promise of its Plotly
  frame: null, // the frame on screen while live: {epoch, params, losses, predictions}, or null (the server's state)
  queue: [], // frames still to show, each with its time (performance.now() ms)
  played: [], // the frames shown since live training began: the charts' lines grow by them
  listeners: new Set(),
  trigger: null, // the player's setTriggerValue, for the keyboard
  live: false,
  frozen: false, // Stop was pressed: hold the frame on screen until the server answers
  lastChunk: 0,
  more: false,
  pulling: 0, // when the last request for more frames was sent
  pullSeconds: 0.6,
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

const MAX_PLAYED = 4000; // beyond this, every other frame is forgotten: the lines stay light however long it plays

function publish(frame) {
  shared.frame = frame;
  if (frame) {
    shared.played.push(frame);
    if (shared.played.length > MAX_PLAYED) shared.played = shared.played.filter((_, i) => i % 2 === 1);
  }
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
  const predictions = decode(chunk.predictions);
  const nParams = epochs.length ? params.length / epochs.length : 0;
  const nLosses = epochs.length ? losses.length / epochs.length : 0;
  const nRows = epochs.length ? predictions.length / epochs.length : 0;
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
      predictions: predictions.subarray(i * nRows, (i + 1) * nRows),
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
  if (next) publish(next);
  const left = shared.queue.length ? (shared.queue[shared.queue.length - 1].time - now) / 1000 : 0;
  if (shared.more && !shared.frozen && left < shared.pullSeconds && now - shared.pulling > 3000) {
    shared.pulling = now; // asked again after 3 s if no answer came (a rerun can be cut short by another)
    shared.trigger?.("need", { shown: shared.frame ? shared.frame.epoch : -1, chunk: shared.lastChunk });
  }
  if (!shared.more && !shared.queue.length && !shared.frozen) {
    shared.live = false; // played out: the server's own state is on screen again
    publish(null);
    return;
  }
  requestAnimationFrame(tick);
}

function stopLive() {
  shared.queue = [];
  shared.played = [];
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
    else stopLive(); // the server's own state is current: its answer to Stop, or a click after the last frames
  } else if (data.chunk && !shared.frozen) {
    // (A chunk that arrives after Stop was pressed answers an earlier request: the run stops where it was seen.)
    if (data.chunk.replace) { // the run changed under the frames still queued (a new rate): forget them
      shared.queue = [];
      shared.played = shared.played.filter((f) => f.epoch < decode(data.chunk.epochs)[0]);
    }
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
  const graph = document.createElement("div");
  graph.className = "live-plot";
  graph.style.width = "100%";
  graph.style.height = data.height; // a CSS length, e.g. "max(320px, 45vh)": the chart grows with the window
  graph.setAttribute("role", "img");
  parentElement.appendChild(graph);
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

// The figure as it is at ``frame``: it was drawn when live training began, and the server marks in each trace's
// meta.live what grows with the frames played since ("loss", "weight" meta.param, "row" meta.row: one more point
// per frame), what reaches the frame's epoch ("to_now"), and what shows the frame's own parameters ("weights" bars
// of meta.params, "edge_labels"; layout.meta.edges: the network diagram's lines).
// "frames": the server computed the trace's numbers for each frame sent (each row's share, the diagram's
// hover): meta.frames[property][k] belongs to epoch meta.epochs[k]; the frame shows the last one due.
function atFrame(figure, frame, lossIndex) {
  const colors = figure.layout.meta?.colors ?? {};
  const grow = (trace, value) => {
    const last = trace.x.length ? trace.x[trace.x.length - 1] : -1;
    const added = shared.played.filter((f) => f.epoch > last && f.epoch <= frame.epoch);
    return { ...trace, x: [...trace.x, ...added.map((f) => f.epoch)], y: [...trace.y, ...added.map(value)] };
  };
  const data = figure.data.map((trace) => {
    const role = trace.meta?.live;
    if (role === "loss") return grow(trace, (f) => f.losses[lossIndex]);
    if (role === "weight") return grow(trace, (f) => f.params[trace.meta.param]);
    if (role === "row") return grow(trace, (f) => f.predictions[trace.meta.row]);
    if (role === "to_now") return { ...trace, x: [trace.x[0], frame.epoch] };
    if (role === "weights") {
      const y = trace.meta.params.map((p) => frame.params[p]);
      return { ...trace, y, text: y.map((v) => format(v, 4)),
               marker: { ...trace.marker, color: y.map((v) => (v >= 0 ? colors.positive : colors.negative)) } };
    }
    if (role === "edge_labels") return { ...trace, text: trace.meta.params.map((p) => format(frame.params[p], 3)) };
    if (role === "frames") {
      const epochs = trace.meta.epochs;
      let k = 0;
      while (k + 1 < epochs.length && epochs[k + 1] <= frame.epoch) k++;
      const shown = { ...trace };
      for (const [property, values] of Object.entries(trace.meta.frames)) shown[property] = values[k];
      return shown;
    }
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

// A zoom or pan the learner made is kept while the figure keeps its layout.uirevision (the same run), and dropped
// when it changes (Reset, new data). Kept here rather than left to Plotly's own uirevision, which live frames defeat.
function rememberUserView(graph, change) {
  const view = (graph.userView ??= { revision: null, axes: {} });
  const revision = graph.figure.layout.uirevision;
  if (view.revision !== revision) Object.assign(view, { revision, axes: {} });
  for (const axis of ["xaxis", "yaxis"]) {
    if (change[`${axis}.autorange`]) delete view.axes[axis];
    else if (change[`${axis}.range[0]`] !== undefined) {
      view.axes[axis] = [change[`${axis}.range[0]`], change[`${axis}.range[1]`]];
    } else if (Array.isArray(change[`${axis}.range`])) view.axes[axis] = change[`${axis}.range`];
  }
}

function withUserView(graph, layout) {
  const view = graph.userView;
  if (!view || view.revision !== layout.uirevision || !Object.keys(view.axes).length) return layout;
  const kept = { ...layout };
  for (const [axis, range] of Object.entries(view.axes)) kept[axis] = { ...layout[axis], range, autorange: false };
  return kept;
}

// A chart whose data asks for it (data.select) tells the server which point was clicked: the first element of the
// customdata of a point whose trace has meta.select (the network diagram: the parameter of the line clicked).
function listenForClicks(graph) {
  if (graph.clickable) return;
  graph.clickable = true;
  graph.on("plotly_click", (event) => {
    const point = event.points.find((p) => p.data.meta?.select);
    if (point && graph.select) graph.select("select", point.customdata[0]);
  });
}

function chart({ data, parentElement, setTriggerValue }) {
  const graph = parentElement.querySelector(".live-plot") ?? createGraph(parentElement, data);
  graph.select = data.select ? setTriggerValue : null;
  graph.setAttribute("aria-label", data.label || "");
  graph.style.height = data.height;
  graph.figure = prepare(data);
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
          return Plotly.react(graph, shown.data, withUserView(graph, shown.layout), graph.config).then(() => {
            if (!graph.watchingView) {
              graph.watchingView = true;
              graph.on("plotly_relayout", (change) => rememberUserView(graph, change));
            }
          });
        })
        .then(() => {
          if (graph.select) listenForClicks(graph);
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

// -- the share link: the address bar, which the server keeps in step with the run ---------------------------------
function link({ data, parentElement }) {
  let box = parentElement.querySelector(".pg-link");
  if (!box) {
    box = document.createElement("div");
    box.className = "pg-link";
    const url = document.createElement("code");
    const copy = document.createElement("button");
    copy.type = "button";
    copy.addEventListener("click", () => {
      navigator.clipboard?.writeText(window.location.href).then(() => {
        copy.textContent = box.copiedLabel;
        setTimeout(() => { copy.textContent = box.copyLabel; }, 1500);
      }).catch(() => {});
    });
    box.append(url, copy);
    parentElement.appendChild(box);
    box.show = () => { url.textContent = window.location.href; };
    watchAddress();
    shared.addressListeners.add(box.show);
    box.show();
  }
  box.copyLabel = data.copy_label;
  box.copiedLabel = data.copied_label;
  box.querySelector("button").textContent = data.copy_label;
  box.querySelector("code").textContent = window.location.href;
  return () => shared.addressListeners.delete(box.show);
}

// Streamlit changes the address with history.replaceState/pushState, which fire no event: wrap them, once.
function watchAddress() {
  if (shared.addressListeners) return;
  shared.addressListeners = new Set();
  for (const name of ["replaceState", "pushState"]) {
    const original = history[name].bind(history);
    history[name] = (...args) => {
      const result = original(...args);
      for (const listener of shared.addressListeners) listener();
      return result;
    };
  }
  window.addEventListener("popstate", () => shared.addressListeners.forEach((listener) => listener()));
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
  if (data.close_sidebar && shared.sidebarClosedFor !== data.close_sidebar) {
    shared.sidebarClosedFor = data.close_sidebar; // once per request (presenter mode turned on)
    closeSidebar();
  }
}

function closeSidebar() {
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  if (sidebar && sidebar.getAttribute("aria-expanded") !== "false") {
    const collapse = '[data-testid="stSidebarCollapseButton"]';
    (document.querySelector(`${collapse} button`) ?? document.querySelector(collapse))?.click();
  }
}

// -- "scroll": bring one element of a long page into view, once per request (a link to one stage of a page) ------
function scrollTo({ data }) {
  if (!data.request || shared.scrolledFor === data.request) return;
  shared.scrolledFor = data.request;
  let tries = 0;
  const attempt = () => {
    const target = document.querySelector(data.target);
    if (target) target.scrollIntoView({ block: data.block || "start" });
    else if (++tries < 120) requestAnimationFrame(attempt); // the element may be drawn a moment later
  };
  attempt();
}

export default function (args) {
  const role = args.data.role;
  if (role === "scroll") return scrollTo(args);
  if (role === "chart") return chart(args);
  if (role === "text") return liveText(args);
  if (role === "player") return player(args);
  if (role === "page") return page(args);
  if (role === "link") return link(args);
}
