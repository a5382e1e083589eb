"""The venue: the laptop's addresses on its network, and checking phones can reach it."""
