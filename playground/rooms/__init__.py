"""Rooms: a class follows its presenter's run (in the server process, or across replicas through Redis)."""
