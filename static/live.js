// Backprop Playground in the browser: every chart, and live training played out on the browser's own clock.
//
// One component, these roles (data.role):
//   "chart"   a Plotly graph, built once and updated in place with Plotly.react (st.plotly_chart rebuilds the whole
//             graph at every update). A chart with data.live follows the player's frames.
//   "text"    a line of text (the epoch, the weights, the loss) that follows the player's frames.
//   "readouts" the Playground's numbers in one element: lines of text in a column (the epoch, the loss under it) and
//             one beside them (the weights), each in a box classed as Streamlit classes a keyed container.
//   "player"  the Play/Stop control. It plays the frames the server sends (epoch, weights, losses) at their pace,
//             asks for the next chunk when less than data.pull_seconds are left, and on Stop tells the server the
//             epoch on screen, so the run stops exactly there. It also holds the next Step's frames (data.ahead),
//             shown the moment Step is clicked (see "a Step at the click").
//   "page"    once per page: loads Plotly early (preload), keyboard shortcuts, and sidebar manners (closed after
//             choosing a page on a phone, closed in presenter mode).
//   "follow"  in a room, the presenter's frames relayed by the server: played like the player's own, at the moment
//             the presenter's screen shows them, without asking this page's server for more (see rooms.py).
// Everything shared lives in one object per browser tab, window.__playground.

const shared = (window.__playground ??= {
  plotly: {}, // bundle name -> Promise of its Plotly
  frame: null, // the frame on screen while live: {epoch, params, losses, predictions}, or null (the server's state)
  queue: [], // frames still to show, each with its time (performance.now() ms)
  played: [], // the frames shown since live training began: the charts' lines grow by them
  listeners: new Set(),
  trigger: null, // the player's setTriggerValue, for the keyboard
  live: false,
  frozen: false, // Stop was pressed: hold the frame on screen until the server's answer is drawn
  lastChunk: 0,
  more: false,
  pulling: 0, // when the last request for more frames was sent
  pullSeconds: 0.6,
  following: false, // playing a room's frames: hold the last one until the server shows the room's run itself
  followed: null, // the room version whose frames were queued last
  handover: false, // the server's state is in force (a room's run here, a run stopped, a Step), its charts not yet on
  // screen: the frame on screen stays until then
  ahead: null, // the next Step's frames, {frames, for}, if they are the Step a click now makes (see stepAhead)
  stepped: null, // the epoch of a Step on screen before the server's answer: it stays until a chart reaches it
  asked: 0, // the requests this page has sent the server since live.js came (its websocket's rerun_script messages)
  askedBefore: null, // those it sent before: what the first run to say so had seen
  stepAsked: null, // the request of the Step on screen
  answered: false, // the frame on screen (a Step's, a stopped run's last) has had its own run's player: that run's
  // end ends it, if its chart did not
});

// -- Plotly, loaded once per bundle; each graph uses the Plotly it was loaded with -----------------------------------
function loadPlotly(url, bundle) {
  shared.plotly[bundle] ??= new Promise((resolve, reject) => {
    const previous = window.Plotly;
    const script = document.createElement("script");
    script.src = new URL(url, window.location.href).href; // (as the page's element preloaded it)
    script.fetchPriority = "high";
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

// A weight: ``decimals`` decimals, or in powers of ten when it is too small for them, so that a tiny weight does not
// read as 0 nor a zero as "-0.0000" (views/numbers.py's weight_text, to the character).
function formatWeight(value, decimals) {
  if (value !== 0 && Math.abs(value) < 0.5 * 10 ** -decimals) return value.toExponential(1);
  return format(value + 0, decimals); // + 0: −0 is 0
}

const MAX_PLAYED = 4000; // beyond this, every other frame is forgotten: the lines stay light however long it plays

// Show ``frame``. ``passed``: the frames due before it that no screen refresh showed (a slice of training to a
// target comes at once; a busy or hidden tab falls behind): they were computed, so the curves go through them too.
function publish(frame, passed = []) {
  shared.frame = frame;
  if (frame) {
    shared.played.push(...passed, frame);
    while (shared.played.length > MAX_PLAYED) shared.played = shared.played.filter((_, i) => i % 2 === 1);
  }
  for (const listener of shared.listeners) listener(frame);
}

// -- the player --------------------------------------------------------------------------------------------------
// The frames of a chunk, each {epoch, params, losses, predictions} (views into the chunk's typed arrays). A chunk of
// training to a target has no pace: its frames are due at once, the curves grow through all of them and the rest
// shows the last, where the run is now.
function framesOf(chunk) {
  const epochs = decode(chunk.epochs);
  const columns = { params: decode(chunk.params), losses: decode(chunk.losses), predictions: decode(chunk.predictions) };
  const frames = [];
  for (let i = 0; i < epochs.length; i++) {
    const frame = { epoch: epochs[i] };
    for (const [name, values] of Object.entries(columns)) {
      const width = values.length / epochs.length;
      frame[name] = values.subarray(i * width, (i + 1) * width);
    }
    frames.push(frame);
  }
  return frames;
}

function enqueue(chunk) {
  if (!chunk || chunk.number <= shared.lastChunk) return; // a chunk already seen (the page redrew)
  shared.lastChunk = chunk.number;
  shared.more = chunk.more;
  shared.pulling = 0;
  let at = shared.queue.length ? shared.queue[shared.queue.length - 1].time : performance.now();
  for (const frame of framesOf(chunk)) {
    at += chunk.seconds_per_frame * 1000;
    shared.queue.push({ ...frame, time: at });
  }
  if (!shared.live) {
    shared.live = true;
    if (shared.queue.length) publish(shared.queue.shift()); // the first frame at once, never the server's lead
    requestAnimationFrame(tick);
  }
}

// Show the last frame that is due, the curves going through every frame due before it; returns the time.
function showDue() {
  const now = performance.now();
  const due = [];
  if (!shared.frozen) {
    while (shared.queue.length && shared.queue[0].time <= now) due.push(shared.queue.shift());
  }
  if (due.length) {
    const next = due.pop();
    publish(next, due);
  }
  return now;
}

function tick() {
  if (!shared.live) return;
  const now = showDue();
  const left = shared.queue.length ? (shared.queue[shared.queue.length - 1].time - now) / 1000 : 0;
  if (shared.more && !shared.frozen && !shared.following && left < shared.pullSeconds && now - shared.pulling > 3000) {
    shared.pulling = now; // asked again after 3 s if no answer came (a rerun can be cut short by another)
    shared.trigger?.("need", { shown: shared.frame ? shared.frame.epoch : -1, chunk: shared.lastChunk });
  }
  if (!shared.more && !shared.queue.length && !shared.frozen && !shared.following && !shared.handover) {
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
    button = make("button", "pg-player");
    button.type = "button";
    button.addEventListener("click", () => togglePlay());
    parentElement.appendChild(button);
  }
  const running = data.mode !== null;
  const stopping = running && shared.frozen; // Stop was pressed, and the server has not answered yet
  button.playLabel = data.play_label;
  button.textContent = running && !stopping ? data.stop_label : data.play_label;
  button.dataset.mode = data.mode ?? "idle";
  button.disabled = Boolean(data.disabled) || stopping;
  button.setAttribute("aria-pressed", String(running));
  const seen = data.ahead_for?.seen;
  const seenAll = sawEveryRequest(seen);
  shared.ahead = !running && data.ahead && seenAll
    ? { frames: framesOf(data.ahead), for: data.ahead_for, asked: shared.asked } : null;
  if (shared.stepped !== null && (running || (shared.askedBefore !== null &&
                                              seen >= shared.askedBefore + shared.stepAsked))) {
    // The Step's own run, or a later one: its chart, drawn after this, ends the Step on screen if it reached the
    // epoch; if it did not (the server made another Step, or none), the run's end does. Live training that began
    // meanwhile (→ then Space) plays from its own frames.
    shared.answered = true;
  }
  // Live training again (Play pressed once more, before the last answer's chart came): it plays from its own frames.
  if (running && !shared.following) endHandover();
  if (!running) {
    if (data.chunk && !shared.frozen) {
      enqueue(data.chunk); // the last frames of a run that ended by itself
      if (shared.live && !data.chunk.seconds_per_frame) awaitAnswer(); // (shown at once: training to a target)
    } else if (shared.frozen && shared.live) awaitAnswer(); // the answer to Stop
    else if (!shared.following && !shared.handover) stopLive(); // the server's own state is current: a click after
    // the last frames (a room's frames, though, play on until the room's run is in force here, and a Step's frames
    // until its charts are)
  } else if (data.chunk && !shared.frozen) {
    // (A chunk that arrives after Stop was pressed answers an earlier request: the run stops where it was seen.)
    if (data.chunk.replace) { // the run changed under the frames still queued (a new rate): forget them
      shared.queue = [];
      shared.played = shared.played.filter((f) => f.epoch < decode(data.chunk.epochs)[0]);
    }
    enqueue(data.chunk);
  }
}

// The run has stopped (Stop's answer, at the epoch on screen; training to a target done, its last frames shown at
// once), and that run's numbers and chart come after the player. Until its chart is drawn (or the run has ended), the
// last frame stays: ending live training at once showed, for a moment, the numbers drawn by the run before, at
// another epoch (while playing, the one training had run ahead to; before a target's last slice, the slice before).
function awaitAnswer() {
  clearTimeout(shared.stopAgain);
  shared.answered = true;
  holdFrame(ANSWER_MS);
}

function togglePlay() {
  const button = document.querySelector(".pg-player");
  if (!shared.trigger || !button || button.disabled) return;
  if (button.dataset.mode !== "idle") {
    shared.frozen = true; // keep the epoch on screen: that is where the run stops
    // At once, the button says what it does next, and waits for the server to stop: a second press before the answer
    // was another Stop under a button that still read Stop, and playing did not go on.
    button.textContent = button.playLabel;
    button.disabled = true;
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

// -- a Step at the click ---------------------------------------------------------------------------------------------
// Every run of the server sends, with the player, the frames of the next Step (trained ahead on a copy of the run). A
// click on Step (or its key) shows them at once, while the server makes the same Step to the same numbers: the epoch,
// the weights, the loss and the chart move without waiting for the round trip and the server's redraw. They stay until
// a chart of the server's answer reaches their epoch; then the server's own figures take over, showing the same.
// They count only if the run that sent them had seen every request this page sent, and none was sent since (another
// step size, a new rate, Reset: a run under way, or already asked for, when the change was sent did not see it; a run
// still to come will have), and if the step size and the rate the page shows are theirs (text typed into a box is
// sent when the box is left: by the click on Step itself). Otherwise the Step waits for the server, as before.
const SETTLE_MS = 300; // after the Step's own run has ended
const ANSWER_MS = 3000; // a frame kept for the server's answer (Stop's, a target's last slice, a room's run) ends
// after this, on a page whose charts did not change
const STUCK_MS = 20_000; // a click the server never answered (or a run's end the page did not see): the server's
// state shows again
const RERUN_REQUEST = (11 << 3) | 2; // the first byte of a rerun_script message (Streamlit's BackMsg, field 11)

function stepAhead() {
  const ahead = shared.ahead;
  shared.ahead = null; // once: a second click before the answer waits for it
  if (!ahead || !ahead.frames.length || shared.live || ahead.asked !== shared.asked || !forWhatIsShown(ahead.for)) {
    return; // (none, live training on screen, or not the Step to come: see above)
  }
  const frames = ahead.frames;
  const last = frames[frames.length - 1];
  shared.played = [];
  shared.live = true;
  holdFrame(STUCK_MS);
  shared.stepped = last.epoch;
  shared.stepAsked = shared.asked + 1; // the click's own request, sent right after this
  shared.answered = false;
  publish(last, frames.slice(0, -1));
}

// The step size and the learning rate the page shows are those the frames were trained with.
function forWhatIsShown(trainedFor) {
  const size = document.querySelector(".st-key-step_size input");
  const rate = document.querySelector(".st-key-learning_rate input");
  return (!size || size.value === trainedFor.step_label) && (!rate || Number(rate.value) === trainedFor.rate);
}

function onStepClick(event) {
  const button = event.target instanceof Element && event.target.closest(".st-key-step button");
  if (button && !button.disabled) stepAhead();
}

// Text going into a box (typed, pasted, dropped, filled in by the browser) is sent only when the box is left: until
// the next run, the frames ahead may not be for it.
function onTyping(event) {
  if (event.type !== "keydown" || typing(event)) shared.ahead = null;
}

// Count the page's requests as they go (wrapping its websocket's send, once). (A connection made again counts on: the
// server's session counts on too; if it lost one, or the session is new, no run sees them all again, and each Step
// waits for the server.)
function countRequests() {
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (message) {
    const bytes = message instanceof ArrayBuffer ? new Uint8Array(message)
      : ArrayBuffer.isView(message) ? new Uint8Array(message.buffer, message.byteOffset, message.byteLength) : null;
    if (bytes?.[0] === RERUN_REQUEST) shared.asked += 1;
    return send.call(this, message);
  };
}

// The run that answered the frame on screen (a Step's own run, a stopped one's) has ended without a chart at its epoch
// (Streamlit marks the app data-test-script-state="notRunning"; a short run whose messages come together may not
// show it, and a timer ends the frame then).
function watchRunEnds() {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return;
  const watch = new MutationObserver(() => {
    if (!shared.answered || app.getAttribute("data-test-script-state") !== "notRunning") return;
    // (The run's elements are all in, but their live.js parts may still be drawing: its chart may yet end the frame.)
    setTimeout(() => shared.answered && endHandover(), SETTLE_MS);
  });
  watch.observe(app, { attributes: true, attributeFilter: ["data-test-script-state"] });
}

// Whether a run that had seen ``seen`` of the session's requests had seen all this page sent. The page's first
// requests went before live.js counted them, before any of its controls was drawn: the first run to say what it had
// seen, while none has been sent since, had seen them all.
function sawEveryRequest(seen) {
  if (typeof seen !== "number") return false;
  if (shared.askedBefore === null) {
    if (shared.asked !== 0) return false; // (the run cannot tell: none counts on this page)
    shared.askedBefore = seen;
  }
  return seen === shared.askedBefore + shared.asked;
}

// -- following a room ------------------------------------------------------------------------------------------------
// The frame on screen stays until the server's own charts take over (endHandover: a room's run, a stopped run, a
// Step), or at the latest ``ms`` from now.
function holdFrame(ms) {
  shared.handover = true;
  clearTimeout(shared.handoverTimer);
  shared.handoverTimer = setTimeout(endHandover, ms);
}

function endHandover() {
  if (!shared.handover) return;
  shared.handover = false;
  shared.stepped = shared.stepAsked = null;
  shared.answered = false;
  clearTimeout(shared.handoverTimer);
  stopLive();
}

function follow({ data }) {
  const relay = data.relay;
  if (!relay) {
    if (shared.following) {
      // The server shows the room's run itself now: its charts are on their way. Until the first arrives, the frame
      // on screen stays (the old figure alone would show the run as it was before the frames, for a moment).
      shared.following = false;
      shared.followed = null;
      shared.queue = [];
      holdFrame(ANSWER_MS);
    }
    return;
  }
  endHandover();
  if (relay.version === shared.followed) return; // the same frames, redrawn
  shared.followed = relay.version;
  shared.following = true;
  const frames = framesOf(relay.chunk);
  if (!frames.length) return;
  // A run that went back (a Stop where the presenter's screen was, a Reset): drop what lies beyond its start.
  shared.queue = shared.queue.filter((f) => f.epoch < frames[0].epoch);
  shared.played = shared.played.filter((f) => f.epoch < frames[0].epoch);
  const first = performance.now() + relay.delay * 1000; // when the presenter's screen shows the first frame
  frames.forEach((frame, i) => shared.queue.push({ ...frame, time: first + i * relay.chunk.seconds_per_frame * 1000 }));
  if (!shared.live) {
    shared.live = true;
    requestAnimationFrame(tick);
  } else {
    showDue(); // the frames the presenter's screen has shown already, at once: the curves never lose them
  }
}

// -- text that follows the frames ------------------------------------------------------------------------------------
function liveText({ data, parentElement }) {
  let line = parentElement.querySelector(".pg-text");
  if (!line) {
    line = parentElement.appendChild(make("div", "pg-text"));
  }
  line.dataset.kind = data.kind;
  const cells = data.tables ? weightTables(line, data) : null;
  if (!cells && line.shape) { // the network lost its hidden layer: one line of text again
    line.shape = null;
    for (const name of ["tabindex", "role", "aria-label"]) line.removeAttribute(name);
  }
  const render = (frame) => {
    if (cells) {
      const values = frame ? frame.params : data.values;
      for (const [td, p] of cells) td.textContent = formatWeight(values[p], 4);
    } else if (!frame) {
      line.textContent = data.text;
    } else if (data.kind === "epoch") {
      line.textContent = data.prefix + frame.epoch.toLocaleString("en-US");
    } else if (data.kind === "weights") {
      line.textContent = data.names.map((n, i) => `${n}\u00a0=\u00a0${formatWeight(frame.params[i], 4)}`).join("\u00a0· "); // a pair never breaks
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

// The Playground's numbers: one element instead of three texts in five containers (each element and container costs
// the server a share of every Step). Each line's box carries the class Streamlit gives a keyed container
// (st-key-epoch, st-key-loss_line, st-key-weights): the page's style and the UI contract find them as before.
function readouts({ data, parentElement }) {
  let box = parentElement.querySelector(".pg-readouts");
  if (!box) {
    box = make("div", "pg-readouts");
    const column = make("div", "pg-run-numbers");
    for (const text of data.column) column.appendChild(make("div", `st-key-${text.key}`));
    box.append(column, make("div", `st-key-${data.beside.key}`));
    parentElement.appendChild(box);
  }
  const stops = [...data.column, data.beside].map(
    (text) => liveText({ data: text, parentElement: box.querySelector(`.st-key-${text.key}`) }));
  return () => stops.forEach((stop) => stop());
}

// A new ``tag`` element of the class ``className``.
function make(tag, className) {
  const element = document.createElement(tag);
  element.className = className;
  return element;
}

// Every weight of a network with hidden layers: one small table per layer (data.tables: title, rows, cols, and the
// parameter shown in each cell). Built again only when the network's shape changes; returns [cell, parameter] pairs.
function weightTables(line, data) {
  const shape = JSON.stringify(data.tables);
  if (line.shape !== shape) {
    line.shape = shape;
    line.cells = [];
    line.replaceChildren();
    for (const layer of data.tables) {
      const table = make("table", "pg-w");
      const head = table.createTHead().insertRow();
      const corner = document.createElement("th"); // the layer: from (down) → to (across)
      corner.scope = "col";
      corner.className = "pg-w-layer";
      corner.textContent = layer.title;
      head.appendChild(corner);
      for (const col of layer.cols) {
        const th = document.createElement("th");
        th.scope = "col";
        th.textContent = col;
        head.appendChild(th);
      }
      const body = table.createTBody();
      layer.rows.forEach((name, r) => {
        const row = body.insertRow();
        const th = document.createElement("th");
        th.scope = "row";
        th.textContent = name;
        row.appendChild(th);
        for (const p of layer.index[r]) line.cells.push([row.insertCell(), p]);
      });
      line.appendChild(table);
    }
  }
  line.tabIndex = 0; // it scrolls sideways when the layer is wide: the keyboard can reach it and scroll it too
  line.setAttribute("role", "group");
  line.setAttribute("aria-label", data.label || "");
  return line.cells;
}

// -- charts ----------------------------------------------------------------------------------------------------------
function createGraph(parentElement, data) {
  // The chart's data as a table, on request (a line above the chart, taken from the chart's own height).
  const details = make("details", "pg-table");
  details.appendChild(document.createElement("summary"));
  details.appendChild(document.createElement("div"));
  parentElement.appendChild(details);
  const graph = make("div", "live-plot");
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
  // An axis that sets no range of its own fits the data, said outright: Plotly.react otherwise keeps the range it
  // computed for the previous drawing (a live frame's, half-way through the run) once a layout stops saying autorange.
  for (const [name, axis] of Object.entries(figure.layout)) {
    if (/^[xy]axis\d*$/.test(name) && axis && axis.range === undefined && axis.autorange === undefined) {
      axis.autorange = true;
    }
  }
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
    let k = trace.x.length; // the line as drawn up to the frame (a room's run may have gone back: a Reset)
    while (k > 0 && trace.x[k - 1] > frame.epoch) k--;
    const last = k ? trace.x[k - 1] : -1;
    const added = shared.played.filter((f) => f.epoch > last && f.epoch <= frame.epoch);
    return { ...trace, x: [...trace.x.slice(0, k), ...added.map((f) => f.epoch)],
             y: [...trace.y.slice(0, k), ...added.map(value)] };
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
    if (role === "edge_labels") return { ...trace, text: trace.meta.params.map((p) => formatWeight(frame.params[p], 3)) };
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
  if (layout.xaxis?.dtick === 1) { // a short run's axis (plot.epoch_axis): whole-epoch ticks, up to its last epoch
    // It reaches the frame's epoch, as the server would draw it there (a room's Step comes as one frame, a slow Play
    // as one frame per epoch); past 10 epochs plotly.js chooses the ticks again.
    const { dtick, tick0, range, ...xaxis } = layout.xaxis;
    layout = { ...layout, xaxis: frame.epoch >= 10 ? { ...xaxis, autorange: true }
                                                   : { ...layout.xaxis, range: [0, Math.max(frame.epoch, 1)] } };
  }
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

// A chart with data.fit takes the height that the first screen leaves it: from where it starts down to the bottom of
// the window, less what must be seen under it (data.fit.below: e.g. why training is stuck), between data.fit.min and
// data.fit.max pixels. Measured in the page's own coordinates (not where it is scrolled to), and again whenever the
// window, anything of the column above or below it, or the page (a room's bar come at its top) changes size; its own
// height moves nothing it measures, so this settles at once.
function fitToScreen(graph) {
  const { max, below, within } = graph.fit;
  const min = window.innerWidth < 640 ? graph.fit.min_narrow ?? graph.fit.min : graph.fit.min; // a phone
  if (!graph.fitWatch) {
    graph.fitAgain = () => graph.isConnected && graph.fit && fitToScreen(graph);
    graph.fitWatch = new ResizeObserver(graph.fitAgain);
    graph.fitWatch.observe(graph.closest(within) ?? document.body);
    const page = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (page) graph.fitWatch.observe(page);
    window.addEventListener("resize", graph.fitAgain);
  }
  const scroller = document.querySelector('[data-testid="stMain"]');
  const box = graph.getBoundingClientRect();
  if (!box.width) return; // not displayed (a hidden tab): measured when it shows
  const top = box.top + (scroller?.scrollTop ?? 0) + window.scrollY;
  let under = 0;
  for (const el of document.querySelectorAll(below || ":not(*)")) {
    const rect = el.getBoundingClientRect();
    if (rect.height) under = Math.max(under, rect.bottom - box.bottom);
  }
  const height = Math.round(Math.max(min, Math.min(max, window.innerHeight - top - under - 8)));
  if (Math.abs(height - (graph.fitted ?? 0)) < 2) return;
  graph.fitted = height;
  setHeight(graph, `${height}px`);
}

// Every graph's height is set here, and from then on its box depends on nothing inside it: it says so (contain:
// strict), so that the browser lays out and paints what plotly.js changes inside it without the rest of the page.
// (A Step redraws the loss chart, and plotly.js forces about ten layouts while it measures text.) Not before a
// height is set: a graph contained without one would be 0 pixels high.
function setHeight(graph, height) {
  graph.style.height = height;
  graph.style.contain = "strict";
}

// The 3-D bundle (the cube on Predict) is large and blocks the page while it starts: it loads only once its chart is
// near the screen, and after the 2-D charts have been drawn (or have had a second to be), so they never wait for it.
const BASIC_FIRST_MS = 1000;

function whenDrawable(graph, bundle) {
  if (bundle !== "gl3d" || shared.plotly.gl3d) return Promise.resolve();
  graph.nearScreen ??= new Promise((resolve) => {
    const watch = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        watch.disconnect();
        resolve();
      }
    }, { rootMargin: "300px" });
    watch.observe(graph);
  });
  const others = shared.plotly.basic ?? shared.plotly.cartesian ?? Promise.resolve();
  const settled = Promise.race([others.catch(() => {}), new Promise((r) => setTimeout(r, BASIC_FIRST_MS))]);
  const idle = () => new Promise((r) => (window.requestIdleCallback ?? setTimeout)(r, { timeout: 500 }));
  return Promise.all([graph.nearScreen, settled]).then(idle);
}

function chart({ data, parentElement, setTriggerValue }) {
  // A chart of the room's run itself, or of the server's answer to a Step on screen: the frames have done their work.
  // (An earlier run's chart, drawn before the Step's epoch, leaves the Step on screen.)
  if (!(shared.stepped !== null && data.live && data.live.epoch < shared.stepped)) endHandover();
  const graph = parentElement.querySelector(".live-plot") ?? createGraph(parentElement, data);
  graph.select = data.select ? setTriggerValue : null;
  graph.setAttribute("aria-label", data.label || "");
  graph.fit = data.fit || null;
  if (graph.fit) fitToScreen(graph);
  else setHeight(graph, `calc(${data.height} - ${TABLE_LINE})`); // data.height: the chart and its table's line
  graph.details.firstChild.textContent = data.table_label || "";
  graph.figure = prepare(data);
  if (graph.details.open) fillTable(graph.details, graph.figure);
  graph.live = data.live || null;
  graph.config = { ...data.config, scrollZoom: false, responsive: false };
  const drawNow = () => {
    const bundle = data.bundle;
    whenDrawable(graph, bundle)
      .then(() => loadPlotly(data.plotly_url, bundle))
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
  };
  // A live frame: drawn in the same screen refresh as the numbers (the player shows one frame per refresh), once
  // however many frames one task publishes. (Left to the next refresh, the chart was always a frame behind the
  // numbers; on a busy machine, where every refresh brings a new frame, it never showed the epoch they showed.)
  graph.draw = () => {
    if (graph.drawScheduled) return;
    graph.drawScheduled = true;
    queueMicrotask(() => {
      graph.drawScheduled = false;
      drawNow();
    });
  };
  if (graph.listener) shared.listeners.delete(graph.listener);
  graph.listener = graph.live ? () => graph.draw() : null;
  if (graph.listener) shared.listeners.add(graph.listener);
  drawNow(); // the server's figure, at once: waiting for the next screen refresh put a Step a frame later
  return () => {
    if (graph.listener) shared.listeners.delete(graph.listener);
    graph.resizer.disconnect();
    graph.fitWatch?.disconnect();
    window.removeEventListener("resize", graph.fitAgain);
    graph.fitWatch = null;
    if (graph.plotly) graph.plotly.purge(graph);
  };
}

// -- the share link: the address bar, which the server keeps in step with the run ---------------------------------
function link({ data, parentElement }) {
  let box = parentElement.querySelector(".pg-link");
  if (!box) {
    box = make("div", "pg-link");
    const url = document.createElement("code");
    url.tabIndex = 0; // it scrolls sideways: the keyboard can reach it and scroll it too
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
  box.querySelector("code").setAttribute("aria-label", data.link_label || "");
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
// A presentation clicker sends → and Space (some send PageDown/PageUp).
const KEY_ACTIONS = { ArrowRight: "step", PageDown: "step", ArrowLeft: "back", PageUp: "back", r: "reset", R: "reset" };
const typing = (event) => event.target instanceof Element && Boolean(event.target.closest(EDITABLE));

function onKey(event) {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  if (typing(event)) return; // never while typing in a field
  const playerOnPage = document.querySelector(".pg-player");
  if (!playerOnPage || playerOnPage.disabled) return;
  if (event.key === " ") {
    event.preventDefault();
    togglePlay();
  } else if (KEY_ACTIONS[event.key] && shared.trigger) {
    event.preventDefault();
    if (KEY_ACTIONS[event.key] === "step") stepAhead();
    shared.trigger("key", KEY_ACTIONS[event.key]);
  }
}

// Start plotly.js's bundles before any chart asks for them ({bundle: url}): the page's element does, and serve.py's
// page as soon as it has sent the server its first message (see EARLY there).
export function preload(bundles) {
  for (const [bundle, url] of Object.entries(bundles || {})) loadPlotly(url, bundle).catch(() => {});
}

function page({ data }) {
  preload(data.preload);
  let style = document.getElementById("pg-style");
  if (!style) {
    style = document.createElement("style");
    style.id = "pg-style";
    document.head.appendChild(style);
  }
  if (style.textContent !== data.style) style.textContent = data.style ?? "";
  if (!shared.pageWide) { // once per page load: what the page's document itself does
    shared.pageWide = true;
    oneHistoryEntryPerPage();
    document.addEventListener("keydown", onKey);
    countRequests();
    watchRunEnds();
    for (const type of ["keydown", "input", "paste", "drop"]) {
      document.addEventListener(type, onTyping, { capture: true });
    }
    document.addEventListener("click", onStepClick, { capture: true });
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

// Streamlit adds an entry to the browser's history whenever the address's query changes, and the address holds the
// run's link, which every Step changes: Back went back one Step at a time (replaying each). A page's address is kept
// current in place instead; going to another page still adds an entry, so Back returns to the page before.
function oneHistoryEntryPerPage() {
  const push = history.pushState.bind(history);
  history.pushState = (state, unused, url) => {
    const next = url == null ? null : new URL(url, location.href);
    if (next && next.pathname === location.pathname) history.replaceState(state, unused, url);
    else push(state, unused, url);
  };
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
  if (role === "readouts") return readouts(args);
  if (role === "player") return player(args);
  if (role === "page") return page(args);
  if (role === "link") return link(args);
  if (role === "follow") return follow(args);
}
