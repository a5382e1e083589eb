"""Suggestions made on the laptop: themes, duplicates and where unsorted notes go."""
