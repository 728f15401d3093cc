// A Plotly graph that stays on the page and is redrawn in place with Plotly.react.
//
// st.plotly_chart gives every changed figure a new element id, so the browser throws the whole graph away and
// builds a new one at each update: during live play that rebuild was most of the browser's work. Here the
// graph is built once; each new figure from Python only updates it, at most once per animation frame (the
// newest figure wins when several arrive in one frame, as they can when the tab was busy).

function loadPlotly(url) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  // One load per page, shared by every graph. A failed load stays failed: the message asks for a reload
  // rather than fetching again at every tick of live play.
  window.__playgroundPlotly ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.onload = () => (window.Plotly ? resolve(window.Plotly) : reject(new Error("no Plotly in " + url)));
    script.onerror = () => reject(new Error("could not load " + url));
    document.head.appendChild(script);
  });
  return window.__playgroundPlotly;
}

function createGraph(parentElement, height) {
  const graph = document.createElement("div");
  graph.className = "live-plot";
  graph.style.width = "100%";
  graph.style.minHeight = height + "px"; // hold the space while Plotly loads: nothing below jumps
  parentElement.appendChild(graph);
  // Follow the column's width (the sidebar opening or closing, not only the window resizing).
  graph.resizer = new ResizeObserver((entries) => {
    const width = entries[entries.length - 1].contentRect.width;
    if (width === graph.lastWidth) return; // the height changes as Plotly draws: nothing to do then
    graph.lastWidth = width;
    if (window.Plotly && graph._fullLayout) window.Plotly.Plots.resize(graph);
  });
  graph.resizer.observe(graph);
  return graph;
}

export default function ({ parentElement, data }) {
  if (data.preload_only) {
    // Mounted at the top of every page: start fetching Plotly while the rest of the page is drawn.
    loadPlotly(data.plotly_url).catch(() => {});
    return;
  }
  const graph = parentElement.querySelector(".live-plot") ?? createGraph(parentElement, data.height);
  graph.nextFigure = data;
  if (!graph.drawScheduled) {
    graph.drawScheduled = true;
    requestAnimationFrame(() => {
      graph.drawScheduled = false;
      const next = graph.nextFigure;
      loadPlotly(next.plotly_url)
        .then((Plotly) => {
          if (graph.nextFigure !== next) return; // a newer figure came while Plotly loaded: its frame draws it
          const figure = JSON.parse(next.figure);
          return Plotly.react(graph, figure.data, figure.layout, next.config);
        })
        .catch((error) => {
          console.error(error);
          graph.textContent = next.failed_text;
        });
    });
  }
  // Called when the element leaves the page (a new figure for the same element does not call it).
  return () => {
    graph.resizer.disconnect();
    if (window.Plotly) window.Plotly.purge(graph);
  };
}
