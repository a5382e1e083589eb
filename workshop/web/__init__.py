"""The thin transport: HTTP blueprints, error handling and who-is-calling."""
