"""The room's run, trained once per process (by the process's trainer): followers take a copy, so that the epochs a
presenter adds are trained once here, not once per follower."""

from __future__ import annotations

import copy
import threading

from nn_core import NeuralNetwork, Scenario

from ..state.actions import rebuilt


class Mirror:
    """The room's run as this process last put it in force: followers take a copy, so that the epochs a presenter
    adds are trained once here, not once per follower."""

    def __init__(self):
        self.lock = threading.Lock()
        self.scenario: Scenario | None = None
        self.network: NeuralNetwork | None = None

    def network_for(self, scenario: Scenario, trainer) -> NeuralNetwork:
        """A copy of the room's run as ``scenario`` says it is, trained by ``trainer`` (live/trainer.py)."""
        with self.lock:
            net, run = self.network, scenario.run
            if net is not None and same_setup(self.scenario, scenario) and net.continues(run.epoch, run.events):
                net.follow(run.epoch, run.events, together=trainer.together)
            else:
                net = rebuilt(trainer, scenario)
            self.scenario, self.network = scenario, net
            return copy.deepcopy(net)


def same_setup(a: Scenario | None, b: Scenario) -> bool:
    """The same table and settings: runs that may be one another further on."""
    return a is not None and a.data == b.data and a.settings == b.settings
