"""The numbers above the chart: the epoch with the loss under it (and its floor, where one is proven) beside every
weight (the epoch as wide as its number, the weights in the rest, wrapping rather than running into it), all in one
element of live.js (each line in a box keyed as the UI contract says: epoch, loss_line, weights), and the status line
(the last action's message, or how the run stands: stopped, rewound, crawling).

With a hidden layer the weights are one small matrix per layer (inputs down, units across; the output unit's as one
row), so that all of them show at once instead of a line cut short."""

from __future__ import annotations

from nn_core import LOSS_NAMES
from nn_core.analysis import error_floor
from nn_core.settings import MAX_EPOCHS

from ...live.component import readouts as live_readouts
from ...state.session import Session
from ...strings import rows_named, t
from ...views.numbers import fixed_text, floor_text, weight_text
from ...views.playground import subscript_names, weight_tables
from ..diagnosis import causes_now
from ..status import status_line


def readouts(s: Session) -> None:
    net, loss = s.network, s.scenario.loss
    epoch, params = s.shown()
    names = subscript_names(net.parameter_names())
    current = float(net.losses_for(params, loss)[0])
    floor = error_floor(net, loss)
    text = "\u00a0· ".join(f"{n}\u00a0=\u00a0{weight_text(v)}" for n, v in zip(names, params))  # no line starts with ·
    tables = weight_tables(net.architecture) if net.architecture.hidden else None
    suffix = "  ·  " + t("pg.floor_short", floor=f"{floor_text(floor)}") if floor is not None else ""
    name = t(f"lossname.{loss}")
    details = dict(tables=tables, values=[float(v) for v in params],
                   label=t("pg.all_weights", count=len(names))) if tables else {}
    live_readouts(key="readouts", column=[
        dict(key="epoch", kind="epoch", text=f"{t('fig.epoch')} {epoch:,}", prefix=f"{t('fig.epoch')} "),
        dict(key="loss_line", kind="loss", text=t("pg.current_error", loss=name, value=fixed_text(current, 6)) + suffix,
             prefix=t("pg.current_error", loss=name, value=""), suffix=suffix, loss_index=LOSS_NAMES.index(loss))],
        beside=dict(key="weights", kind="weights", text=text, names=names, **details))
    status_line(s, status_text(s, epoch), keep_room=True)  # nothing below moves when it speaks


def status_text(s: Session, epoch: int) -> str:
    net = s.network
    if s.player.waiting is not None:
        return t("pg.waiting_turn", ahead=f"{s.player.waiting:,}")
    if epoch != net.epoch:
        return t("pg.rewound", epoch=f"{epoch:,}", live=f"{net.epoch:,}")
    if net.stop is not None and not s.player.busy:
        return t(f"pg.{net.stop.kind}", epoch=f"{net.stop.epoch:,}", rate=f"{net.stop.learning_rate:g}",
                 error=f"{net.current_loss():.6f}")
    if net.epoch >= MAX_EPOCHS:
        return t("pg.at_limit", limit=f"{MAX_EPOCHS:,}")
    stuck = [c for c in causes_now(net) if c.kind == "saturated"] if net.epoch and not s.player.busy else None
    if stuck:
        return t("pg.saturated", rows=rows_named(stuck[0].rows))
    return ""
