"""The room's run, trained once per process: followers take a copy, so that the epochs a presenter adds are
trained once here, not once per follower."""

from __future__ import annotations

import copy
import threading

from nn_core import NeuralNetwork, Scenario


class Mirror:
    """The room's run as this process last put it in force: followers take a copy, so that the epochs a presenter
    adds are trained once here, not once per follower."""

    def __init__(self):
        self.lock = threading.Lock()
        self.scenario: Scenario | None = None
        self.network: NeuralNetwork | None = None

    def network_for(self, scenario: Scenario) -> NeuralNetwork:
        with self.lock:
            net, run = self.network, scenario.run
            if net is not None and same_setup(self.scenario, scenario) and net.continues(run.epoch, run.events):
                net.follow(run.epoch, run.events)
            else:
                net = scenario.network()
            self.scenario, self.network = scenario, net
            return copy.deepcopy(net)


def same_setup(a: Scenario | None, b: Scenario) -> bool:
    """The same table and settings: runs that may be one another further on."""
    return a is not None and a.data == b.data and a.settings == b.settings
